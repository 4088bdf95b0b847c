package dev.forklift.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Ready-made {@link Sink}s. All run in the parent; the file sinks create or truncate their file when built and
 * close it in {@link Sink#close()} (idempotent).
 */
public final class Sinks {
    private Sinks() {
    }

    /**
     * @param <T> the type of the items.
     * @return a sink printing each item's {@code toString()} on a line of standard output.
     */
    public static <T> Sink<T> stdout() {
        return printing(System.out);
    }

    /**
     * @param out where to print.
     * @param <T> the type of the items.
     * @return a sink printing each item's {@code toString()} on a line.
     */
    public static <T> Sink<T> printing(final PrintStream out) {
        Objects.requireNonNull(out, "out");
        return new Sink<>() {
            @Override
            public void accept(final T item) {
                out.println(item);
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    /**
     * @param target the collection that receives every item (in the parent).
     * @param <T> the type of the items.
     * @return a sink adding each item to the collection.
     */
    public static <T> Sink<T> into(final Collection<? super T> target) {
        Objects.requireNonNull(target, "target");
        return target::add;
    }

    /**
     * A JSON-lines file: one object per item.
     *
     * @param file   the file, created or truncated.
     * @param fields turns an item into its fields (values: strings, numbers, booleans, null; others as strings).
     * @param <T> the type of the items.
     * @return the sink.
     * @throws IOException if the file cannot be created.
     */
    public static <T> Sink<T> jsonLines(final Path file, final Function<T, Map<String, ?>> fields) throws IOException {
        return jsonLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8), fields);
    }

    /**
     * @param writer where the lines go; closed with the sink.
     * @param fields turns an item into its fields.
     * @param <T> the type of the items.
     * @return a JSON-lines sink.
     */
    public static <T> Sink<T> jsonLines(final Writer writer, final Function<T, Map<String, ?>> fields) {
        Objects.requireNonNull(fields, "fields");
        return new WriterSink<>(writer, item -> fields.apply(item).entrySet().stream()
            .map(e -> FailureRecord.quote(e.getKey()) + ":" + jsonValue(e.getValue()))
            .collect(Collectors.joining(",", "{", "}")));
    }

    /**
     * A CSV file (RFC 4180 quoting) with a header line.
     *
     * @param file   the file, created or truncated.
     * @param header the column names.
     * @param row    turns an item into its cells, as many as the header.
     * @param <T> the type of the items.
     * @return the sink.
     * @throws IOException if the file cannot be created.
     */
    public static <T> Sink<T> csv(final Path file, final List<String> header, final Function<T, List<?>> row)
        throws IOException {
        return csv(Files.newBufferedWriter(file, StandardCharsets.UTF_8), header, row);
    }

    /**
     * @param writer where the lines go; closed with the sink.
     * @param header the column names.
     * @param row    turns an item into its cells.
     * @param <T> the type of the items.
     * @return a CSV sink.
     * @throws IOException if the header cannot be written.
     */
    public static <T> Sink<T> csv(final Writer writer, final List<String> header, final Function<T, List<?>> row)
        throws IOException {
        Objects.requireNonNull(row, "row");
        final WriterSink<T> sink = new WriterSink<>(writer, item -> {
            final List<?> cells = row.apply(item);
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException("CSV row has " + cells.size() + " cells, header has "
                    + header.size() + ": " + cells);
            }
            return csvLine(cells);
        });
        sink.writeLine(csvLine(header));
        return sink;
    }

    private static String csvLine(final List<?> cells) {
        return cells.stream().map(cell -> {
            final String text = String.valueOf(cell);
            return text.matches("[^\",\r\n]*") ? text : '"' + text.replace("\"", "\"\"") + '"';
        }).collect(Collectors.joining(","));
    }

    private static String jsonValue(final Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return FailureRecord.quote(value.toString());
    }

    /** A sink writing one line per item. */
    private static final class WriterSink<T> implements Sink<T> {
        private final Writer writer;
        private final Function<T, String> line;
        private boolean closed;

        WriterSink(final Writer writer, final Function<T, String> line) {
            this.writer = Objects.requireNonNull(writer, "writer");
            this.line = line;
        }

        @Override
        public void accept(final T item) throws IOException {
            writeLine(line.apply(item));
        }

        void writeLine(final String text) throws IOException {
            writer.write(text);
            writer.write('\n');
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                writer.close();
            }
        }
    }
}
