package dev.forklift.cli.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Lines written by a {@code forklift run} (its results, or its {@code --failed} records) in UTF-8, handed to the
 * operating system as they come: at once when the buffer is full, else by {@link #flush()}, which a
 * {@link PeriodicFlush} calls every few milliseconds. The buffer always ends at a line end, so the file on disk
 * holds whole lines only (a line longer than the buffer is written in one go). Thread-safe: the run's thread writes,
 * the flusher and a signal handler flush.
 */
final class LineOutput implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final OutputStream file;
    private final PrintWriter writer;
    private final CharsetEncoder writerEncoding;
    private final Consumer<String> warning;
    private final byte[] buffer;
    private int used;
    private long bytes;
    private boolean closed;
    private boolean warned;

    private LineOutput(final OutputStream file, final PrintWriter writer, final Charset writerCharset,
        final Consumer<String> warning, final long bytes) {
        this.file = file;
        this.writer = writer;
        this.writerEncoding = writerCharset == null || writerCharset.equals(StandardCharsets.UTF_8) ? null
            : writerCharset.newEncoder();
        this.warning = warning;
        this.buffer = file == null ? null : new byte[BUFFER_BYTES];
        this.bytes = bytes;
    }

    /**
     * @param path   the file.
     * @param append true to add to the file (when resuming), false to truncate it.
     * @return an output to the file.
     * @throws IOException if it cannot be opened.
     */
    static LineOutput toFile(final Path path, final boolean append) throws IOException {
        final long size = append && Files.exists(path) ? Files.size(path) : 0;
        return new LineOutput(new FileOutputStream(path.toFile(), append), null, null, null, size);
    }

    /**
     * @param writer   where lines go (standard output); it is flushed, not closed.
     * @param charset  the encoding the writer writes in (standard output's: the locale's on JDK 17).
     * @param warning  told once, the first time a line has a character that encoding cannot write (it then
     *                 shows as '?'), so that this is never silent.
     * @return an output to it.
     */
    static LineOutput to(final PrintWriter writer, final Charset charset, final Consumer<String> warning) {
        return new LineOutput(null, writer, charset, warning, 0);
    }

    /**
     * @param text the line, without its line feed.
     * @throws IOException if the file cannot be written.
     */
    synchronized void writeLine(final String text) throws IOException {
        if (writer != null) {
            if (!warned && writerEncoding != null && !writerEncoding.canEncode(text)) {
                warning.accept("a result has characters that standard output's encoding (" + writerEncoding.charset()
                    + ", from the locale) cannot write; they show as '?': use --output FILE (always UTF-8) or a UTF-8 "
                    + "locale such as LANG=C.UTF-8");
                warned = true;
            }
            writer.write(text);
            writer.write('\n');
            return;
        }
        final byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        if (used + encoded.length + 1 > buffer.length) {
            flush();
            if (encoded.length + 1 > buffer.length) {
                final byte[] whole = java.util.Arrays.copyOf(encoded, encoded.length + 1);
                whole[encoded.length] = '\n';
                file.write(whole);
                bytes += whole.length;
                return;
            }
        }
        System.arraycopy(encoded, 0, buffer, used, encoded.length);
        used += encoded.length;
        buffer[used++] = '\n';
    }

    /**
     * Hands every line written so far to the operating system.
     *
     * @throws IOException if the file cannot be written.
     */
    synchronized void flush() throws IOException {
        if (closed) {
            return;
        }
        if (writer != null) {
            writer.flush();
            return;
        }
        if (used > 0) {
            file.write(buffer, 0, used);
            bytes += used;
            used = 0;
        }
    }

    /** @return the size of the file once flushed: what it held before, plus every line written. */
    synchronized long bytes() {
        return bytes + used;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            if (file != null) {
                file.close();
            }
        }
    }
}
