package dev.forklift.cli.progress;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The progress line of a command, drawn by the parent process only, on standard error.
 *
 * <p>On a terminal it redraws one line in place ten times a second: a bar and the percentage when the total (or the
 * expected duration) is known, done (and total), failed, bytes when counted, rate and ETA. Rate and ETA come from
 * the last {@value #RATE_WINDOW_MS} ms, so they follow the work as it speeds up or slows down without jumping with
 * every burst of results. When standard error is not a terminal it prints a plain line every
 * {@code plainIntervalMs} (a log then shows that a long command is alive), or nothing with {@link Mode#OFF}.
 * Counters are thread-safe and cheap; drawing happens on one daemon thread. {@link #close()} stops it and draws
 * the final line (terminal mode only ends the line).
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

    /** The least time between two plain lines of a long command, when the command has no reason to differ. */
    public static final long DEFAULT_PLAIN_INTERVAL_MS = 5_000;
    private static final long TERMINAL_INTERVAL_MS = 100;
    private static final long RATE_WINDOW_MS = 5_000;
    private static final long MIN_RATE_SPAN_MS = 1_000;
    /** How fast the shown ETA moves to a fresh estimate; between estimates it counts down with the clock. */
    private static final double ETA_SMOOTHING_SECONDS = 1;
    private static final int BAR_WIDTH = 20;

    private final PrintWriter err;
    private final Mode mode;
    private final String label;
    private final LongSupplier clockNs;
    private final long startNs;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long total = -1;
    private volatile long totalBytes = -1;
    private volatile long expectedNs = -1;
    private volatile Supplier<String> detail = () -> "";
    /** Recent (time, finished, bytes) samples for the rate; guarded by this. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    /** The ETA last shown, in seconds (NaN before the first), and when; guarded by this. */
    private double shownEtaSeconds = Double.NaN;
    private long shownEtaAtNs;
    private final ScheduledExecutorService drawer;
    private boolean closed;

    /**
     * @param err             where to draw (standard error of the parent).
     * @param mode            how to draw.
     * @param label           a short word in front of the line, such as {@code run}.
     * @param plainIntervalMs the least time between two plain lines.
     */
    public ProgressBar(final PrintWriter err, final Mode mode, final String label, final long plainIntervalMs) {
        this(err, mode, label, plainIntervalMs, System::nanoTime, true);
    }

    /** For tests: a clock of their own, and no drawing thread when {@code draw} is false. */
    ProgressBar(final PrintWriter err, final Mode mode, final String label, final long plainIntervalMs,
        final LongSupplier clockNs, final boolean draw) {
        this.err = err;
        this.mode = mode;
        this.label = label;
        this.clockNs = clockNs;
        this.startNs = clockNs.getAsLong();
        if (mode == Mode.OFF || !draw) {
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
     * @return {@link Mode#OFF} when quiet, {@link Mode#TERMINAL} when this process's standard streams are a
     * terminal, else {@link Mode#PLAIN}.
     */
    public static Mode detectMode(final boolean quiet) {
        if (quiet) {
            return Mode.OFF;
        }
        return isTerminal(System.console()) ? Mode.TERMINAL : Mode.PLAIN;
    }

    /**
     * Java 22 and later give a console also when the streams are redirected; {@code Console.isTerminal()} then
     * says whether they are a terminal. Java 17 gives one only for a terminal.
     */
    private static boolean isTerminal(final Console console) {
        if (console == null) {
            return false;
        }
        try {
            final Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (final NoSuchMethodException ex) {
            return true;
        } catch (final ReflectiveOperationException | RuntimeException ex) {
            return false;
        }
    }

    /** @param total the number of items expected, when known; may be set while the bar runs. */
    public void total(final long total) {
        this.total = total;
    }

    /** @param totalBytes the number of bytes expected, when known. */
    public void totalBytes(final long totalBytes) {
        this.totalBytes = totalBytes;
    }

    /** @param expected how long the command runs, for commands that run for a set time (the ETA is what is left). */
    public void expectedDuration(final Duration expected) {
        this.expectedNs = expected.toNanos();
    }

    /** @param text more to show at the end of the line, such as a count of kills; called on the drawing thread. */
    public void detail(final Supplier<String> text) {
        this.detail = text;
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

    /** @return the line as it would be drawn now (without the bar a terminal shows in front of it). */
    public String line() {
        return text(false);
    }

    private synchronized String text(final boolean withBar) {
        final long nowNs = clockNs.getAsLong();
        final double seconds = Math.max(1e-3, (nowNs - startNs) / 1e9);
        final long doneNow = done.get();
        final long failedNow = failed.get();
        final long bytesNow = bytes.get();
        final long finished = doneNow + failedNow;
        final long[] since = sample(nowNs, finished, bytesNow);
        final double spanSeconds = (nowNs - since[0]) / 1e9;
        final boolean windowed = spanSeconds * 1000 >= MIN_RATE_SPAN_MS;
        final double rate = windowed ? (finished - since[1]) / spanSeconds : finished / seconds;
        final double byteRate = windowed ? (bytesNow - since[2]) / spanSeconds : bytesNow / seconds;
        final double fraction = fraction(nowNs, finished, bytesNow);

        final StringBuilder line = new StringBuilder();
        if (withBar && fraction >= 0) {
            final int filled = (int) Math.round(fraction * BAR_WIDTH);
            line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        }
        line.append(label).append(": ").append(String.format(Locale.ROOT, "%,d", doneNow));
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, "/%,d", total));
        }
        line.append(" done");
        if (fraction >= 0) {
            line.append(String.format(Locale.ROOT, " (%d%%)", (int) Math.floor(fraction * 100)));
        }
        line.append(", ").append(String.format(Locale.ROOT, "%,d", failedNow)).append(" failed");
        if (bytesNow > 0) {
            line.append(String.format(Locale.ROOT, ", %.1f MB (%.1f MB/s)", bytesNow / 1e6, byteRate / 1e6));
        }
        line.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
        final String eta = format(smooth(nowNs, estimate(nowNs, finished, bytesNow, rate, byteRate)));
        if (eta != null) {
            line.append(", ETA ").append(eta);
        }
        line.append(String.format(Locale.ROOT, ", %.1fs", seconds));
        final String more = detail.get();
        if (more != null && !more.isEmpty()) {
            line.append(", ").append(more);
        }
        return line.toString();
    }

    /** Records a sample and returns the oldest one within the rate window (the start for a fresh bar). */
    private long[] sample(final long nowNs, final long finished, final long bytesNow) {
        samples.addLast(new long[] {nowNs, finished, bytesNow});
        while (samples.size() > 1 && nowNs - samples.peekFirst()[0] > RATE_WINDOW_MS * 1_000_000L) {
            samples.pollFirst();
        }
        final long[] oldest = samples.peekFirst();
        return oldest[0] == nowNs && samples.size() == 1 ? new long[] {startNs, 0, 0} : oldest;
    }

    /** @return how far along the command is, 0 to 1, or -1 when nothing says. */
    private double fraction(final long nowNs, final long finished, final long bytesNow) {
        if (total > 0) {
            return Math.min(1, (double) finished / total);
        }
        if (totalBytes > 0) {
            return Math.min(1, (double) bytesNow / totalBytes);
        }
        if (expectedNs > 0) {
            return Math.min(1, (double) (nowNs - startNs) / expectedNs);
        }
        return total == 0 || totalBytes == 0 ? 1 : -1;
    }

    /** @return the seconds left by the recent rate (or the set duration), or NaN when nothing says. */
    private double estimate(final long nowNs, final long finished, final long bytesNow, final double rate,
        final double byteRate) {
        if (expectedNs > 0) {
            return Math.max(0, (expectedNs - (nowNs - startNs)) / 1e9);
        }
        if (total >= 0 && finished > 0 && rate > 0) {
            return Math.max(0, total - finished) / rate;
        }
        if (totalBytes >= 0 && bytesNow > 0 && byteRate > 0) {
            return Math.max(0, totalBytes - bytesNow) / byteRate;
        }
        return Double.NaN;
    }

    /**
     * The ETA shown counts down with the clock and moves toward each fresh estimate by the share of
     * {@link #ETA_SMOOTHING_SECONDS} that passed since the last, so it neither jumps with bursts of results nor
     * stands still between them.
     */
    private double smooth(final long nowNs, final double estimate) {
        if (Double.isNaN(estimate) || Double.isInfinite(estimate)) {
            return Double.NaN;
        }
        if (Double.isNaN(shownEtaSeconds)) {
            shownEtaSeconds = estimate;
        } else {
            final double elapsed = (nowNs - shownEtaAtNs) / 1e9;
            final double counted = Math.max(0, shownEtaSeconds - elapsed);
            shownEtaSeconds = counted + Math.min(1, elapsed / ETA_SMOOTHING_SECONDS) * (estimate - counted);
        }
        shownEtaAtNs = nowNs;
        return shownEtaSeconds;
    }

    private static String format(final double seconds) {
        if (Double.isNaN(seconds)) {
            return null;
        }
        final long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
            : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** Draws the current line now (the drawing thread calls it every period). */
    synchronized void draw() {
        if (closed) {
            return;
        }
        if (mode == Mode.TERMINAL) {
            err.print("\r\033[K" + text(true));
        } else if (mode == Mode.PLAIN) {
            err.println(text(false));
        }
        err.flush();
    }

    /** Stops drawing and draws the final state. Idempotent. */
    @Override
    public void close() {
        if (drawer != null) {
            drawer.shutdownNow();
        }
        synchronized (this) {
            if (closed || mode == Mode.OFF) {
                closed = true;
                return;
            }
            if (mode == Mode.TERMINAL) {
                err.print("\r\033[K" + text(true));
                err.println();
            } else {
                err.println(text(false));
            }
            err.flush();
            closed = true;
        }
    }
}
