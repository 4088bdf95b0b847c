package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Copies one stream of a child (stdout or stderr) to a {@link ChildOutput}, line by line with a prefix, on its own
 * daemon thread, and keeps the last lines for error messages. The thread ends at the end of the stream (when the
 * child exits).
 *
 * <p>Memory is bounded whatever the child writes: a line longer than {@value #MAX_LINE_BYTES} bytes (binary data,
 * or text without line breaks) is split, not dropped: each piece of at most {@value #MAX_LINE_BYTES} bytes is
 * passed on as a line of its own, every piece but the last ending with {@value #SPLIT_MARKER}; a UTF-8 character
 * is never cut in two. The tail kept for error messages holds the last {@value #TAIL_LINES} lines, each cut to
 * {@value #TAIL_LINE_CHARS} characters. Line ends are those of {@link java.io.BufferedReader#readLine()}: LF, CR or
 * CR LF.
 *
 * <p>Internal; not API.
 */
public final class OutputPump implements Runnable {
    /** Longest line passed on, in bytes of the child's output; longer lines are split. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Appended to every piece of a split line but its last. */
    public static final String SPLIT_MARKER = " [line split: continued on the next line]";

    private static final int TAIL_LINES = 40;
    private static final int TAIL_LINE_CHARS = 1_000;
    private static final int READ_CHUNK_BYTES = 8 * 1024;

    private final InputStream in;
    private final ChildOutput.Stream stream;
    private final ChildOutput output;
    private final String prefix;
    private final Charset charset;
    private final boolean utf8;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;

    private OutputPump(final InputStream in, final ChildOutput.Stream stream, final ChildOutput output,
        final String prefix, final Charset charset) {
        this.charset = charset;
        this.utf8 = StandardCharsets.UTF_8.equals(charset);
        this.in = in;
        this.stream = stream;
        this.output = output;
        this.prefix = prefix;
    }

    /**
     * Starts pumping.
     *
     * @param in         the child's stream.
     * @param stream     which stream it is.
     * @param output     where lines go.
     * @param prefix     the prefix of each line, such as {@code [worker-1 1234] }.
     * @param threadName the name of the pump thread.
     * @return the running pump.
     */
    public static OutputPump start(final InputStream in, final ChildOutput.Stream stream, final ChildOutput output,
        final String prefix, final String threadName) {
        return start(in, stream, output, prefix, threadName, Charset.defaultCharset());
    }

    /**
     * A pump of a stream without a pipe (a warm worker's, or the output of a JVM the launcher started: their lines
     * come as control frames, {@link #frameLine}): ended already, no thread.
     *
     * @param stream which stream it stands for.
     * @param output where lines go.
     * @param prefix the prefix of each line.
     * @return the pump.
     */
    static OutputPump none(final ChildOutput.Stream stream, final ChildOutput output, final String prefix) {
        final OutputPump pump = new OutputPump(InputStream.nullInputStream(), stream, output, prefix,
            StandardCharsets.UTF_8);
        pump.done.complete(null);
        return pump;
    }

    /** As {@link #start(InputStream, ChildOutput.Stream, ChildOutput, String, String)} with a given charset. */
    static OutputPump start(final InputStream in, final ChildOutput.Stream stream, final ChildOutput output,
        final String prefix, final String threadName, final Charset charset) {
        final OutputPump pump = new OutputPump(in, stream, output, prefix, charset);
        final Thread thread = new Thread(pump, threadName);
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    @Override
    public void run() {
        try (InputStream source = in) {
            final byte[] chunk = new byte[READ_CHUNK_BYTES];
            boolean afterCarriageReturn = false;
            int read;
            while ((read = source.read(chunk)) != -1) {
                for (int i = 0; i < read; i++) {
                    final byte next = chunk[i];
                    if (next == '\n' && afterCarriageReturn) {
                        afterCarriageReturn = false;
                    } else if (next == '\n' || next == '\r') {
                        afterCarriageReturn = next == '\r';
                        emit(lineLength, false);
                    } else {
                        afterCarriageReturn = false;
                        if (lineLength == MAX_LINE_BYTES) {
                            emit(splitPoint(), true);
                        }
                        line[lineLength++] = next;
                    }
                }
            }
            if (lineLength > 0) {
                emit(lineLength, false);
            }
        } catch (final IOException ignored) {
            // The stream was closed: the child is gone.
        } finally {
            done.complete(null);
        }
    }

    /** @return completed when the stream has ended and every line was passed on. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** @return the last lines read (without prefix, each cut to a thousand characters), oldest first. */
    public List<String> tail() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }

    /** @return where to cut a full line buffer: after its last whole character, never inside a UTF-8 one. */
    private int splitPoint() {
        if (!utf8) {
            return lineLength;
        }
        int continuation = 0;
        while (continuation < 3 && continuation < lineLength
            && (line[lineLength - 1 - continuation] & 0xC0) == 0x80) {
            continuation++;
        }
        final int leadAt = lineLength - 1 - continuation;
        if (leadAt <= 0) {
            return lineLength;
        }
        final int lead = line[leadAt] & 0xFF;
        final int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return needed == 0 || continuation >= needed ? lineLength : leadAt;
    }

    /**
     * Passes on a line the child sent as a control frame (its {@code System.out} or {@code System.err} when it has
     * no pipe here), and keeps it in the tail as a piped line is. Called by the child's control reader.
     *
     * @param text the line, without its end.
     */
    void frameLine(final String text) {
        pass(text, false);
    }

    /** Passes on the first {@code length} bytes of the line buffer and keeps the rest for the next line. */
    private void emit(final int length, final boolean split) {
        final String text = new String(line, 0, length, charset);
        System.arraycopy(line, length, line, 0, lineLength - length);
        lineLength -= length;
        pass(text, split);
    }

    private void pass(final String text, final boolean split) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text.length() > TAIL_LINE_CHARS ? text.substring(0, TAIL_LINE_CHARS) + "..." : text);
        }
        try {
            output.line(stream, prefix + text + (split ? SPLIT_MARKER : ""));
        } catch (final RuntimeException ex) {
            // A failing sink must not stop the pump, or the child would block on a full pipe.
        }
    }
}
