package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Copies one stream of a child (stdout or stderr) to a {@link ChildOutput}, line by line with a prefix, on its own
 * daemon thread, and keeps the last lines for error messages. The thread ends at the end of the stream (when the
 * child exits).
 *
 * <p>Internal; not API.
 */
public final class OutputPump implements Runnable {
    private static final int TAIL_LINES = 40;

    private final InputStream in;
    private final ChildOutput.Stream stream;
    private final ChildOutput output;
    private final String prefix;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private OutputPump(final InputStream in, final ChildOutput.Stream stream, final ChildOutput output,
        final String prefix) {
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
        final OutputPump pump = new OutputPump(in, stream, output, prefix);
        final Thread thread = new Thread(pump, threadName);
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                try {
                    output.line(stream, prefix + line);
                } catch (final RuntimeException ex) {
                    // A failing sink must not stop the pump, or the child would block on a full pipe.
                }
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

    /** @return the last lines read (without prefix), oldest first. */
    public List<String> tail() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }
}
