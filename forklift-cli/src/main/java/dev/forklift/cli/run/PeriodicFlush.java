package dev.forklift.cli.run;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A daemon thread that hands the lines of a run's outputs to the operating system every few milliseconds, so that
 * a result is on disk within {@link #INTERVAL_MS} of arriving even while the run waits for the next one, and a
 * killed parent (kill -9) loses at most that much. Started by the run's thread; {@link #close()} stops it (and
 * waits for it). A failing flush is left to the run's own next write or close to report.
 */
final class PeriodicFlush implements AutoCloseable {
    /** The longest a written line stays in a buffer of this process. */
    static final long INTERVAL_MS = 10;

    private final Thread thread;
    private volatile boolean running = true;

    /** @param outputs the outputs to flush. */
    PeriodicFlush(final List<LineOutput> outputs) {
        final List<LineOutput> all = List.copyOf(outputs);
        all.forEach(Objects::requireNonNull);
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(INTERVAL_MS);
                } catch (final InterruptedException ex) {
                    return;
                }
                for (final LineOutput output : all) {
                    try {
                        output.flush();
                    } catch (final IOException ex) {
                        // reported by the run's thread on its next write or at close
                    }
                }
            }
        }, "forklift-run-flush");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
