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
    public synchronized void startFeeding() {
        relay = Queue.builder(String.class).name("stdin").capacity(1024).maxMessageBytes(1 << 20).build();
        final Queue<String> target = relay;
        pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    target.put(line);
                }
            } catch (final IOException | RuntimeException ignored) {
                // The relay ends here; the producer sees the end of the stream.
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
            context.position(line++);
            context.addBytesRead(text.length() + 1L);
            context.emit(text);
        }
    }
}
