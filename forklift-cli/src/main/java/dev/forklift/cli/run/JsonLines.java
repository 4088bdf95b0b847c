package dev.forklift.cli.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a UTF-8 file of JSON objects, one per line, as the run writes them ({@code --failed} records and the state
 * of a stopped run); blank lines are skipped. Stateless; called on the command's thread.
 */
final class JsonLines {
    /** Takes one object and the number of the line it was on (from 1). */
    @FunctionalInterface
    interface ObjectHandler {
        /**
         * @throws IllegalArgumentException if the object is not what the file should hold; the message names the
         *                                  line.
         */
        void accept(long lineNumber, Map<String, Object> fields);
    }

    private JsonLines() {
    }

    /**
     * @param file    the file.
     * @param prefix  what comes before "line N" in an error message (such as the file's name and a space), or "".
     * @param handler called for every non-blank line, in file order.
     * @throws IOException              if the file cannot be read.
     * @throws IllegalArgumentException if a line is not a JSON object, naming it, or as the handler throws.
     */
    static void read(final Path file, final String prefix, final ObjectHandler handler) throws IOException {
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
                    throw new IllegalArgumentException(prefix + "line " + number + " is not a JSON object: "
                        + ex.getMessage());
                }
                handler.accept(number, fields);
            }
        }
    }
}
