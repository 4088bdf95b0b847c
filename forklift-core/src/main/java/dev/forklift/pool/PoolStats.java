package dev.forklift.pool;

/**
 * A snapshot of a pool's counters, taken in the parent by {@link Pool#stats()}. Immutable.
 *
 * @param liveWorkers            workers running now (including ones retiring after {@code maxTasksPerWorker}).
 * @param workersStarted         worker processes started since the pool was built, the first ones included.
 * @param workerCrashes          workers that died without being asked to stop.
 * @param timeouts               attempts that ran over the task timeout.
 * @param retries                attempts started again after a crash, timeout or retried exception.
 * @param lateResultsDiscarded   results that arrived from an attempt the pool had already given up on.
 * @param tasksCompleted         tasks (a chunk counts once) whose every input has an outcome.
 * @param pendingTasks           tasks waiting for a worker.
 * @param runningTasks           tasks sent to a worker and not yet finished.
 * @param respawnDelayMs         the delay the next replacement of a crashed worker waits for (grows with
 *                               consecutive crashes, back to 0 after a task succeeds).
 * @param heartbeatKills         workers the pool killed because their heartbeat was stale (each also counts as a
 *                               crash).
 * @param memoryRecycles         workers recycled because their resident set exceeded {@code maxRssPerWorker}.
 * @param failedTasks            inputs that ended in failure since the pool was built (the records kept by
 *                               {@link Pool#failedTasks()} may be fewer).
 */
public record PoolStats(int liveWorkers, long workersStarted, long workerCrashes, long timeouts, long retries,
                        long lateResultsDiscarded, long tasksCompleted, int pendingTasks, int runningTasks,
                        long respawnDelayMs, long heartbeatKills, long memoryRecycles, long failedTasks) {
}
