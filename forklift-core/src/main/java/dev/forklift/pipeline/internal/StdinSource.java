package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.SourceContext;
import dev.forklift.queue.Queue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The lines of the parent's standard input. The parent reads them on a daemon thread and puts them on a relay
 * queue; the producer that gets this source takes them from there. Position = line number from 1.
 *
 * <pre>
 *  parent: System.in --lines--> [ relay queue ] --take--> producer process --> pipeline
 * </pre>
 */
public final class StdinSource implements Source<String>, ParentFed {
    private static final long serialVersionUID = 1L;
    /** Longest line, in UTF-8 bytes; a longer one fails the source (and the rest of the input is not read). */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** Starts the one relay item that is not a line: the error that ended the input early. */
    private static final String ERROR_MARK = "\u0000forklift-stdin-error\u0000";
    private final transient InputStream in;
    private Queue<String> relay;
    private transient Thread pump;

    /** @param in the parent's input, usually {@code System.in}. */
    public StdinSource(final InputStream in) {
        this.in = in;
    }

    @Override
    public String name() {
        return "<stdin>";
    }

    @Override
    public synchronized void prepare() {
        relay = Queue.builder(String.class).name("stdin").capacity(64).maxMessageBytes(MAX_LINE_BYTES + 64).build();
    }

    @Override
    public synchronized void startFeeding() {
        final Queue<String> target = relay;
        pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    target.put(line);
                }
            } catch (final IOException | RuntimeException ex) {
                target.offer(ERROR_MARK + ex);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                target.close();
            }
        }, "forklift-stdin");
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public synchronized void stopFeeding() {
        if (relay != null) {
            relay.close();
        }
        if (pump != null) {
            pump.interrupt();
        }
    }

    @Override
    public void read(final SourceContext<String> context) throws Exception {
        if (relay == null) {
            throw new IllegalStateException("stdin source used outside a pipeline run");
        }
        long line = 1;
        for (final String text : relay) {
            if (text.startsWith(ERROR_MARK)) {
                throw new IOException("standard input ended early after line " + (line - 1) + ": "
                    + text.substring(ERROR_MARK.length()));
            }
            context.position(line++);
            context.addBytesRead(text.length() + 1L);
            context.emit(text);
        }
    }
}
