package dev.forklift.cli.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A data source of the demo: the lines of a file, or a generated stream of sentences.
 *
 * @param name  the name shown in the tables.
 * @param file  the file to read, or null for a generated source.
 * @param items the number of lines to generate (generated sources only).
 * @param seed  the seed of the generator (generated sources only).
 *
 * @serial exclude
 */
public record SourceSpec(String name, String file, long items, long seed) implements Serializable {
    private static final String[] WORDS = {"forklift", "queue", "process", "parent", "child", "producer",
        "consumer", "shared", "memory", "pipeline", "worker", "task", "stream", "source", "checksum", "jvm",
        "pallet", "warehouse", "crate", "shelf", "lift", "load", "bay", "dock", "ramp", "aisle", "stack", "crane"};

    /**
     * @param name  the source name.
     * @param items how many lines it yields.
     * @param seed  the generator seed.
     * @return a generated source.
     */
    public static SourceSpec generated(final String name, final long items, final long seed) {
        return new SourceSpec(name, null, items, seed);
    }

    /**
     * @param name the source name, such as the file's path relative to the sources directory.
     * @param file a readable file.
     * @return a source of its lines.
     */
    public static SourceSpec ofFile(final String name, final Path file) {
        return new SourceSpec(name, file.toString(), 0, 0);
    }

    /**
     * Feeds every record of the source to the sink, in order: each line is one record (ended by a line feed, a
     * carriage return, or both).
     *
     * @param sink receives each line.
     * @throws UncheckedIOException   if the file cannot be read.
     * @throws RecordTooLongException if a line has more than {@link DemoProducer#MAX_RECORD_BYTES} characters; it is
     *                                not read further.
     */
    public void forEachRecord(final Consumer<String> sink) {
        if (file == null) {
            final SplittableRandom random = new SplittableRandom(seed);
            final StringBuilder line = new StringBuilder(128);
            for (long i = 0; i < items; i++) {
                line.setLength(0);
                final int words = 4 + random.nextInt(12);
                for (int w = 0; w < words; w++) {
                    line.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                sink.accept(line.toString());
            }
            return;
        }
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(
            Files.newInputStream(Paths.get(file)), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            final StringBuilder line = new StringBuilder(128);
            long number = 0;
            while (readLine(reader, line)) {
                number++;
                if (line.length() > DemoProducer.MAX_RECORD_BYTES) {
                    throw new RecordTooLongException(name, number);
                }
                sink.accept(line.toString());
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read source " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Reads one line into {@code line}, like {@link BufferedReader#readLine()}, but stops once it holds one character
     * more than a record may have (a huge line, or a binary file without line feeds, does not fill the memory).
     *
     * @return false at the end of the input, with nothing read.
     */
    private static boolean readLine(final BufferedReader reader, final StringBuilder line) throws IOException {
        line.setLength(0);
        int c = reader.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n' && c != '\r') {
            line.append((char) c);
            if (line.length() > DemoProducer.MAX_RECORD_BYTES) {
                return true;
            }
            c = reader.read();
        }
        if (c == '\r') {
            reader.mark(1);
            if (reader.read() != '\n') {
                reader.reset();
            }
        }
        return true;
    }
}
