package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.SerializableRunnable;
import dev.forklift.pool.SubmitOverflow;
import dev.forklift.process.ChildOutput;

import java.time.Duration;
import java.util.List;

/**
 * A pool's settings, validated by {@link dev.forklift.pool.PoolBuilder}. Internal; not API.
 *
 * @param name              pool name, prefix of worker names.
 * @param workers           worker count.
 * @param jvmOptions        worker JVM options.
 * @param initializer       per-worker initializer or null.
 * @param maxTasksPerWorker tasks before a worker is recycled, 0 for never.
 * @param taskTimeoutMs     per-input timeout, 0 for none.
 * @param retryPolicy       retry policy.
 * @param inFlightWindow    inputs in flight for map/imap, 0 for automatic.
 * @param chunkSize         inputs per task for map/imap, 0 for automatic.
 * @param maxMessageBytes   largest frame.
 * @param allowList         object codec allow-list.
 * @param classpath         worker class path or null for this JVM's.
 * @param closeTimeout      drain limit of close().
 * @param output            worker output sink.
 * @param maxPendingSubmits limit of submitted, unfinished tasks.
 * @param submitOverflow    what submit does at that limit.
 * @param heartbeatTimeoutMs   how long a worker's heartbeat may stay unchanged before the pool kills it.
 * @param maxRssBytes          resident set above which a worker is recycled after a task, 0 for no limit.
 * @param maxFailedTasks       failed-task records kept, 0 for none.
 * @param failedTaskRetention  how long a failed-task record is kept.
 * @param maxObjectDepth       the depth limit of the object codec of inputs and results, in master and workers.
 * @param warmWorkers          whether workers come from the user's warm host when it has them.
 */
public record PoolConfig(String name, int workers, List<String> jvmOptions, SerializableRunnable initializer,
                         int maxTasksPerWorker, long taskTimeoutMs, RetryPolicy retryPolicy, int inFlightWindow,
                         int chunkSize, int maxMessageBytes, AllowList allowList, String classpath,
                         Duration closeTimeout, ChildOutput output, int maxPendingSubmits,
                         SubmitOverflow submitOverflow, long heartbeatTimeoutMs, long maxRssBytes,
                         int maxFailedTasks, Duration failedTaskRetention, int maxObjectDepth,
                         boolean warmWorkers) {
}
