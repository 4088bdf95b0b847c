package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.SourceContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of a UTF-8 text file (malformed bytes become U+FFFD), without their terminators; position = line
 * number from 1.
 */
public final class LinesSource implements Source<String> {
    private static final long serialVersionUID = 1L;
    private final String path;

    /** @param path the file. */
    public LinesSource(final Path path) {
        this.path = path.toString();
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public long sizeBytes() {
        final Path file = Path.of(path);
        try {
            return Files.size(file);
        } catch (final java.io.IOException ex) {
            return -1;
        }
    }

    @Override
    public void read(final SourceContext<String> context) throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of(path)),
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16)) {
            long line = 1;
            String text;
            while ((text = reader.readLine()) != null) {
                context.position(line++);
                context.addBytesRead(text.length() + 1L);
                context.emit(text);
            }
        }
    }
}
