package dev.forklift.pool.internal;

import java.util.concurrent.TimeUnit;

/**
 * Decides when a worker has stopped beating: every worker JVM writes a heartbeat about every 200 ms from a daemon
 * thread of its own (see {@link WorkerChannel#lastHeartbeatEpochMs()}), so a long task still beats, while a worker
 * that is stopped by a signal or frozen does not. The monitor only looks for the heartbeat value to change and
 * measures how long it has not with this process's monotonic clock, so neither process's wall clock matters. When
 * this process itself did not run for a while (stopped, or its threads starved), silence during that gap is not
 * held against any worker: the workers may have been stopped with it (a job stopped from the shell stops all).
 *
 * <p>Used by the master's collector thread under the pool's lock (it reads and writes the workers' heartbeat
 * fields); never blocks.
 */
final class HeartbeatMonitor {
    /** The least time between two looks at the workers' heartbeats. */
    static final long CHECK_INTERVAL_MS = 100;

    private final long timeoutNs;
    private final long checkIntervalNs;
    private final long pauseNs;
    private long lastCheckNs;
    /** The end of the last pause of this process: no worker's silence counts from before it. */
    private long resumedNs;

    /** @param timeoutMs how long a heartbeat may stay unchanged before its worker counts as unresponsive; &gt; 0. */
    HeartbeatMonitor(final long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("heartbeat timeout must be positive: heartbeatTimeoutMs=" + timeoutMs);
        }
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.checkIntervalNs = TimeUnit.MILLISECONDS.toNanos(Math.min(CHECK_INTERVAL_MS, Math.max(1, timeoutMs / 4)));
        this.pauseNs = TimeUnit.MILLISECONDS.toNanos(Math.min(1_000, Math.max(1, timeoutMs / 2)));
        this.lastCheckNs = System.nanoTime();
        this.resumedNs = lastCheckNs;
    }

    /** Starts watching a worker from now: its first heartbeat has the whole timeout to change. */
    void watch(final WorkerState worker, final long nowNs) {
        worker.lastHeartbeatEpochMs = worker.channel.lastHeartbeatEpochMs();
        worker.heartbeatSeenNs = nowNs;
    }

    /**
     * @param nowNs {@link System#nanoTime()} now.
     * @return true when the workers are due for a look (at most every {@value #CHECK_INTERVAL_MS} ms).
     */
    boolean due(final long nowNs) {
        final long gapNs = nowNs - lastCheckNs;
        if (gapNs < checkIntervalNs) {
            return false;
        }
        if (gapNs > pauseNs) {
            resumedNs = nowNs; // this process was not running: start every worker's count afresh
        }
        lastCheckNs = nowNs;
        return true;
    }

    /**
     * Reads the worker's heartbeat and tells whether it is stale.
     *
     * @param worker a worker that is still running.
     * @param nowNs  {@link System#nanoTime()} now.
     * @return how long (ms, rounded up, so always more than the timeout's ms) the heartbeat has not changed when
     *     that is longer than the timeout, else -1.
     */
    long staleForMs(final WorkerState worker, final long nowNs) {
        final long beat = worker.channel.lastHeartbeatEpochMs();
        if (beat != worker.lastHeartbeatEpochMs) {
            worker.lastHeartbeatEpochMs = beat;
            worker.heartbeatSeenNs = nowNs;
            return -1;
        }
        final long silentNs = nowNs - Math.max(worker.heartbeatSeenNs, resumedNs);
        // Rounded up: a silence of 2000.4 ms against a 2000 ms timeout is reported as 2001, never as "2000 ms silent,
        // timeout 2000 ms".
        return silentNs > timeoutNs ? (silentNs + 999_999) / 1_000_000 : -1;
    }
}
