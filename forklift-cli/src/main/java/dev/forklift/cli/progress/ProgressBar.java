package dev.forklift.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line of a command, drawn by the parent process only, on standard error.
 *
 * <p>On a terminal it redraws one line in place several times a second: done (and total when known), failed,
 * bytes when counted, rate and ETA. When standard error is not a terminal it prints a plain line at most every
 * {@code plainIntervalMs} (or never, with {@link Mode#OFF}). Counters are thread-safe and cheap; drawing happens on
 * one daemon thread. {@link #close()} stops it and draws the final line (terminal mode only ends the line).
 */
public final class ProgressBar implements AutoCloseable {
    /** How the bar is drawn. */
    public enum Mode {
        /** Redraw one line in place (a terminal). */
        TERMINAL,
        /** Print plain lines now and then (a log file or a pipe). */
        PLAIN,
        /** Draw nothing. */
        OFF
    }

    private static final long TERMINAL_INTERVAL_MS = 200;

    private final PrintWriter err;
    private final Mode mode;
    private final String label;
    private final long plainIntervalMs;
    private final long startNs = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long total = -1;
    private volatile long totalBytes = -1;
    private final ScheduledExecutorService drawer;
    private boolean closed;

    /**
     * @param err             where to draw (standard error of the parent).
     * @param mode            how to draw.
     * @param label           a short word in front of the line, such as {@code run}.
     * @param plainIntervalMs the least time between two plain lines.
     */
    public ProgressBar(final PrintWriter err, final Mode mode, final String label, final long plainIntervalMs) {
        this.err = err;
        this.mode = mode;
        this.label = label;
        this.plainIntervalMs = plainIntervalMs;
        if (mode == Mode.OFF) {
            drawer = null;
        } else {
            drawer = Executors.newSingleThreadScheduledExecutor(r -> {
                final Thread thread = new Thread(r, "forklift-progress");
                thread.setDaemon(true);
                return thread;
            });
            final long periodMs = mode == Mode.TERMINAL ? TERMINAL_INTERVAL_MS : plainIntervalMs;
            drawer.scheduleAtFixedRate(this::draw, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @param quiet true to draw nothing.
     * @return {@link Mode#OFF} when quiet, {@link Mode#TERMINAL} when this process has a terminal, else
     * {@link Mode#PLAIN}.
     */
    public static Mode detectMode(final boolean quiet) {
        if (quiet) {
            return Mode.OFF;
        }
        return System.console() != null ? Mode.TERMINAL : Mode.PLAIN;
    }

    /** @param total the number of items expected, when known. */
    public void total(final long total) {
        this.total = total;
    }

    /** @param totalBytes the number of bytes expected, when known. */
    public void totalBytes(final long totalBytes) {
        this.totalBytes = totalBytes;
    }

    /** @param items items just done. */
    public void addDone(final long items) {
        done.addAndGet(items);
    }

    /** @param items items just failed. */
    public void addFailed(final long items) {
        failed.addAndGet(items);
    }

    /** @param count bytes just processed. */
    public void addBytes(final long count) {
        bytes.addAndGet(count);
    }

    /** @return the line as it would be drawn now. */
    public String line() {
        final double seconds = Math.max(1e-3, (System.nanoTime() - startNs) / 1e9);
        final long doneNow = done.get();
        final long failedNow = failed.get();
        final long bytesNow = bytes.get();
        final StringBuilder line = new StringBuilder(label).append(": ");
        line.append(String.format(Locale.ROOT, "%,d", doneNow));
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, "/%,d", total));
        }
        line.append(" done, ").append(String.format(Locale.ROOT, "%,d", failedNow)).append(" failed");
        if (bytesNow > 0) {
            line.append(String.format(Locale.ROOT, ", %.1f MB (%.1f MB/s)", bytesNow / 1e6, bytesNow / 1e6 / seconds));
        }
        final double rate = (doneNow + failedNow) / seconds;
        line.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
        final String eta = eta(seconds, doneNow + failedNow, bytesNow);
        if (eta != null) {
            line.append(", ETA ").append(eta);
        }
        line.append(String.format(Locale.ROOT, ", %.1fs", seconds));
        return line.toString();
    }

    private String eta(final double seconds, final long finished, final long bytesNow) {
        double remaining = -1;
        if (total > 0 && finished > 0) {
            remaining = (total - finished) * seconds / finished;
        } else if (totalBytes > 0 && bytesNow > 0) {
            remaining = (totalBytes - bytesNow) * seconds / bytesNow;
        }
        if (remaining < 0) {
            return null;
        }
        final long s = Math.round(remaining);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
            : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        if (mode == Mode.TERMINAL) {
            err.print("\r\033[K" + line());
        } else {
            err.println(line());
        }
        err.flush();
    }

    /** Stops drawing and draws the final state. Idempotent. */
    @Override
    public void close() {
        if (drawer == null) {
            return;
        }
        drawer.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (mode == Mode.TERMINAL) {
                err.print("\r\033[K" + line());
                err.println();
            } else {
                err.println(line());
            }
            err.flush();
            closed = true;
        }
    }
}
