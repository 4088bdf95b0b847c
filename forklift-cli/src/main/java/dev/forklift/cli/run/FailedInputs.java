package dev.forklift.cli.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The inputs listed in a file written by {@code forklift run --failed}, for {@code --retry-failed}: each input with
 * the file and line it first came from, so that a second failure is reported against the original line.
 * Immutable once read; single-threaded use.
 */
final class FailedInputs implements InputOrigins {
    private final List<Entry> entries;

    private FailedInputs(final List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Reads every non-blank line of the file.
     *
     * @param file a file written by {@code --failed}.
     * @return its inputs, in file order.
     * @throws IllegalArgumentException if a line is not such a record; the message names the file and line.
     * @throws IOException              if the file cannot be read.
     */
    static FailedInputs read(final Path file) throws IOException {
        final List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                final Map<String, Object> fields;
                try {
                    fields = Json.parseObject(text);
                } catch (final IllegalArgumentException ex) {
                    throw new IllegalArgumentException(file + " line " + number + " is not a JSON object: "
                        + ex.getMessage());
                }
                if (!(fields.get("input") instanceof String)) {
                    throw new IllegalArgumentException(file + " line " + number + " has no string \"input\"");
                }
                final Object origin = fields.get("file");
                final Object line = fields.get("line");
                entries.add(new Entry((String) fields.get("input"), origin instanceof String ? (String) origin : "?",
                    line instanceof Long ? (Long) line : 0));
            }
        }
        return new FailedInputs(entries);
    }

    /** @return the inputs, in file order. */
    Iterator<String> inputs() {
        return entries.stream().map(Entry::input).iterator();
    }

    /** @return how many inputs there are. */
    int size() {
        return entries.size();
    }

    @Override
    public String file(final long index) {
        return entries.get((int) index).file();
    }

    @Override
    public long line(final long index) {
        return entries.get((int) index).line();
    }

    private record Entry(String input, String file, long line) {
    }
}
