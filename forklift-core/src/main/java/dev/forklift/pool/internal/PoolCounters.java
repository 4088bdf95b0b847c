package dev.forklift.pool.internal;

import dev.forklift.pool.PoolStats;

/**
 * The master's running totals, reported through {@link PoolStats}. Internal; not API.
 *
 * <p>Threads: plain fields, read and written only with the master's lock held (by the dispatcher, the collector,
 * the spawner's callback and callers of {@link Master#stats()}). Nothing blocks.
 */
final class PoolCounters {
    long workersStarted;
    long crashes;
    long timeouts;
    long retries;
    long lateDiscarded;
    long tasksCompleted;
    long heartbeatKills;
    long memoryRecycles;
    long failedTasks;

    /** The totals with the gauges the master passes in; call with the master's lock held. */
    PoolStats snapshot(final int liveWorkers, final int pendingTasks, final int runningTasks,
        final long respawnDelayMs) {
        return new PoolStats(liveWorkers, workersStarted, crashes, timeouts, retries, lateDiscarded, tasksCompleted,
            pendingTasks, runningTasks, respawnDelayMs, heartbeatKills, memoryRecycles, failedTasks);
    }
}
