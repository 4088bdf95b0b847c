package dev.forklift.pool;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.ObjectCodec;
import dev.forklift.pool.internal.PoolConfig;
import dev.forklift.pool.internal.PoolImpl;
import dev.forklift.pool.internal.SharedMemoryTransport;
import dev.forklift.process.ChildOutput;
import dev.forklift.process.internal.StartupTrace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link Pool}. Setters are fluent and validate at once, naming the bad value; {@link #build()}
 * starts the workers. Not thread-safe; used in the parent only.
 */
public final class PoolBuilder {
    /** Default largest encoded message (a batch of tasks or results): 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    /** Smallest value of {@link #maxMessageBytes(int)}: 4 KiB. */
    public static final int MIN_MESSAGE_BYTES = 4096;
    /** Largest value of {@link #maxMessageBytes(int)}: 64 MiB. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;
    /** Default time {@link Pool#close()} waits for accepted tasks before it shuts down at once. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofMinutes(10);
    /** Default largest number of workers a pool may have, unless {@link #workerLimit(int)} raises it. */
    public static final int DEFAULT_WORKER_LIMIT = 256;
    /** Highest value {@link #workerLimit(int)} accepts. */
    public static final int MAX_WORKER_LIMIT = 4096;
    /** Default largest number of tasks submitted with {@code submit} and not yet finished. */
    public static final int DEFAULT_MAX_PENDING_SUBMITS = 262_144;
    /** Default time a worker's heartbeat may stay unchanged before the pool kills the worker: 30 seconds, far
     * longer than a garbage-collection pause. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
    /** Least heartbeat timeout: workers beat about every 200 ms. */
    public static final Duration MIN_HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);
    /** Least resident-set limit {@link #maxRssPerWorker(long)} accepts: 32 MiB (below what a bare JVM uses). */
    public static final long MIN_RSS_PER_WORKER_BYTES = 32L << 20;
    /** Default number of failed-task records a pool keeps. */
    public static final int DEFAULT_MAX_FAILED_TASKS = 1000;
    /** Highest number of failed-task records {@link #failedTaskRetention} accepts. */
    public static final int MAX_FAILED_TASKS = 1_000_000;
    /** Default time a failed-task record is kept. */
    public static final Duration DEFAULT_FAILED_TASK_RETENTION = Duration.ofHours(1);

    private int workers = Math.min(DEFAULT_WORKER_LIMIT, Runtime.getRuntime().availableProcessors());
    private int workerLimit = DEFAULT_WORKER_LIMIT;
    private int maxPendingSubmits = DEFAULT_MAX_PENDING_SUBMITS;
    private SubmitOverflow submitOverflow = SubmitOverflow.BLOCK;
    private final List<String> jvmOptions = new ArrayList<>();
    private SerializableRunnable initializer;
    private int maxTasksPerWorker;
    private long taskTimeoutMs;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private int inFlightWindow;
    private int chunkSize;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private AllowList allowList = AllowList.defaults();
    private int maxObjectDepth;
    private String classpath;
    private boolean warmWorkers;
    private String name = "pool";
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private ChildOutput output = ChildOutput.inherit();
    private long heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT.toMillis();
    private long maxRssBytes;
    private int maxFailedTasks = DEFAULT_MAX_FAILED_TASKS;
    private Duration failedTaskRetention = DEFAULT_FAILED_TASK_RETENTION;
    private String brokerUrl;

    PoolBuilder() {
    }

    /**
     * @param workers the number of worker JVMs, 1 to the worker limit (default {@value #DEFAULT_WORKER_LIMIT}, see
     *                {@link #workerLimit(int)}); default the number of cores.
     * @return this builder.
     */
    public PoolBuilder workers(final int workers) {
        checkWorkers(workers, workerLimit);
        this.workers = workers;
        return this;
    }

    /**
     * Raises (or lowers) the cap on {@link #workers(int)}: a guard against starting thousands of JVMs by mistake.
     *
     * @param limit the largest worker count allowed, 1 to {@value #MAX_WORKER_LIMIT}; default
     *              {@value #DEFAULT_WORKER_LIMIT}.
     * @return this builder.
     */
    public PoolBuilder workerLimit(final int limit) {
        if (limit < 1 || limit > MAX_WORKER_LIMIT) {
            throw new IllegalArgumentException("workerLimit must be in 1.." + MAX_WORKER_LIMIT + ": workerLimit="
                + limit);
        }
        this.workerLimit = limit;
        return this;
    }

    private static void checkWorkers(final int workers, final int limit) {
        if (workers < 1 || workers > limit) {
            throw new IllegalArgumentException("workers must be in 1.." + limit
                + (limit == DEFAULT_WORKER_LIMIT ? " (raise the cap with workerLimit(n))" : " (workerLimit)")
                + ": workers=" + workers);
        }
    }

    /**
     * Bounds the tasks accepted by {@code submit} and not yet finished, so that a caller submitting faster than
     * the workers finish cannot grow the parent's memory without bound. ({@code map}/{@code imap} are bounded by
     * {@link #inFlightWindow(int)} instead.)
     *
     * @param max      the limit, 1 to 100,000,000; default {@value #DEFAULT_MAX_PENDING_SUBMITS}.
     * @param overflow what {@code submit} does at the limit: wait ({@link SubmitOverflow#BLOCK}, default) or throw
     *                 {@link java.util.concurrent.RejectedExecutionException} ({@link SubmitOverflow#REJECT}).
     *                 A {@code submit} from a callback running on the pool's own collector thread never waits.
     * @return this builder.
     */
    public PoolBuilder maxPendingSubmits(final int max, final SubmitOverflow overflow) {
        if (max < 1 || max > 100_000_000) {
            throw new IllegalArgumentException("maxPendingSubmits must be in 1..100000000: maxPendingSubmits=" + max);
        }
        this.maxPendingSubmits = max;
        this.submitOverflow = Objects.requireNonNull(overflow, "overflow");
        return this;
    }

    /**
     * @param options JVM options for every worker, such as {@code -Xmx256m}; each starts with '-'.
     * @return this builder.
     */
    public PoolBuilder jvmOptions(final String... options) {
        for (final String option : options) {
            if (option == null || !option.startsWith("-")) {
                throw new IllegalArgumentException("a JVM option must start with '-': option=" + option);
            }
            jvmOptions.add(option);
        }
        return this;
    }

    /**
     * @param initializer run once in each worker before its first task (Python's {@code initializer}); a worker
     *                    whose initializer throws exits, and after 3 such workers in a row every waiting task
     *                    fails with the initializer's exception.
     * @return this builder.
     */
    public PoolBuilder initializer(final SerializableRunnable initializer) {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /**
     * @param maxTasksPerWorker tasks (a chunk counts as one) after which a worker is replaced by a fresh one; 0
     *                          (default) for never.
     * @return this builder.
     */
    public PoolBuilder maxTasksPerWorker(final int maxTasksPerWorker) {
        if (maxTasksPerWorker < 0) {
            throw new IllegalArgumentException("maxTasksPerWorker must not be negative: maxTasksPerWorker="
                + maxTasksPerWorker);
        }
        this.maxTasksPerWorker = maxTasksPerWorker;
        return this;
    }

    /**
     * @param timeout the longest an input may run in a worker, measured from when the worker starts it (a chunk
     *                of n inputs gets n times this); the worker is then killed and replaced. Null or zero for none
     *                (default). At least 1 ms.
     * @return this builder.
     */
    public PoolBuilder taskTimeout(final Duration timeout) {
        if (timeout == null || timeout.isZero()) {
            this.taskTimeoutMs = 0;
            return this;
        }
        if (timeout.isNegative() || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("task timeout must be at least 1 ms: taskTimeout=" + timeout);
        }
        this.taskTimeoutMs = timeout.toMillis();
        return this;
    }

    /**
     * How long a worker may go without a heartbeat. Every worker JVM writes one about every 200 ms from a thread of
     * its own, so a long task still beats; a worker that stops beating (stopped by a signal, frozen) is killed
     * with SIGKILL and its task treated as a crash: retried per the {@link RetryPolicy}, then failed with a
     * {@link WorkerCrashedException} whose cause says the heartbeat was stale. This is what ends a task of an
     * unresponsive worker when no {@link #taskTimeout} is set.
     *
     * @param timeout at least {@link #MIN_HEARTBEAT_TIMEOUT} (1 s); default {@link #DEFAULT_HEARTBEAT_TIMEOUT}
     *                (30 s). Keep it well above the longest garbage-collection pause of the workers.
     * @return this builder.
     */
    public PoolBuilder heartbeatTimeout(final Duration timeout) {
        if (timeout == null || timeout.compareTo(MIN_HEARTBEAT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("heartbeat timeout must be at least " + MIN_HEARTBEAT_TIMEOUT.toMillis()
                + " ms: heartbeatTimeout=" + timeout);
        }
        this.heartbeatTimeoutMs = timeout.toMillis();
        return this;
    }

    /**
     * Recycles leaky workers: after a task completes, when its worker's resident set (as the operating system
     * counts it, read from {@code /proc}) is above the limit, the worker gets no more tasks, finishes those it
     * has, exits, and a fresh worker takes its place. No task is lost; {@link PoolStats#memoryRecycles()} counts
     * these. The limit covers the whole JVM (heap, metaspace, thread stacks, code), so set it well above
     * {@code -Xmx}.
     *
     * @param bytes the limit, at least {@link #MIN_RSS_PER_WORKER_BYTES} (32 MiB); 0 (default) for none.
     * @return this builder.
     */
    public PoolBuilder maxRssPerWorker(final long bytes) {
        if (bytes != 0 && bytes < MIN_RSS_PER_WORKER_BYTES) {
            throw new IllegalArgumentException("maxRssPerWorker must be 0 (no limit) or at least "
                + MIN_RSS_PER_WORKER_BYTES + " bytes: maxRssPerWorker=" + bytes);
        }
        this.maxRssBytes = bytes;
        return this;
    }

    /**
     * Bounds the failed-task records the pool keeps ({@link Pool#failedTasks()}): the oldest record goes when
     * there are {@code maxRecords}, and a record older than {@code maxAge} goes too.
     *
     * @param maxRecords the most records kept, 0 (none kept) to {@value #MAX_FAILED_TASKS}; default
     *                   {@value #DEFAULT_MAX_FAILED_TASKS}.
     * @param maxAge     how long a record is kept, positive; default {@link #DEFAULT_FAILED_TASK_RETENTION}.
     * @return this builder.
     */
    public PoolBuilder failedTaskRetention(final int maxRecords, final Duration maxAge) {
        if (maxRecords < 0 || maxRecords > MAX_FAILED_TASKS) {
            throw new IllegalArgumentException("failed-task records must be in 0.." + MAX_FAILED_TASKS
                + ": maxRecords=" + maxRecords);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("failed-task retention must be positive: maxAge=" + maxAge);
        }
        this.maxFailedTasks = maxRecords;
        this.failedTaskRetention = maxAge;
        return this;
    }

    /**
     * @param policy which failed attempts are retried and how often; default {@link RetryPolicy#defaults()}.
     * @return this builder.
     */
    public PoolBuilder retryPolicy(final RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @param inputs the most inputs {@code map}/{@code imap} keep in flight (read but not yet consumed), 1 to
     *               100,000,000; 0 (default) for automatic: four chunks per worker, at least 1024.
     * @return this builder.
     */
    public PoolBuilder inFlightWindow(final int inputs) {
        if (inputs < 0 || inputs > 100_000_000) {
            throw new IllegalArgumentException("inFlightWindow must be in 0..100000000: inFlightWindow=" + inputs);
        }
        this.inFlightWindow = inputs;
        return this;
    }

    /**
     * @param inputs inputs per task for {@code map}/{@code imap}, 1 to 1,000,000; 0 (default) for automatic: a
     *               quarter of the inputs per worker when their number is known (as Python does), at most 16384;
     *               1 for iterators of unknown length.
     * @return this builder.
     */
    public PoolBuilder chunkSize(final int inputs) {
        if (inputs < 0 || inputs > 1_000_000) {
            throw new IllegalArgumentException("chunkSize must be in 0..1000000: chunkSize=" + inputs);
        }
        this.chunkSize = inputs;
        return this;
    }

    /**
     * @param bytes the largest encoded message between master and worker, 4 KiB to 64 MiB (default 1 MiB); one
     *              input or result must fit in it.
     * @return this builder.
     */
    public PoolBuilder maxMessageBytes(final int bytes) {
        if (bytes < MIN_MESSAGE_BYTES || bytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be in " + MIN_MESSAGE_BYTES + ".."
                + MAX_MESSAGE_BYTES + ": maxMessageBytes=" + bytes);
        }
        this.maxMessageBytes = bytes;
        return this;
    }

    /**
     * @param classes classes that inputs and results may carry besides strings, bytes, primitive boxes and the JDK
     *                defaults of {@link AllowList#defaults()}.
     * @return this builder.
     */
    public PoolBuilder allow(final Class<?>... classes) {
        this.allowList = allowList.allow(classes);
        return this;
    }

    /**
     * @param allowList the complete allow-list of the object codec for inputs and results.
     * @return this builder.
     */
    public PoolBuilder allowList(final AllowList allowList) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        return this;
    }

    /**
     * @param maxObjectDepth the deepest object an input or result may hold when it travels through the object codec
     *                       (see {@link dev.forklift.codec.ObjectCodec}), 1 to
     *                       {@value dev.forklift.codec.ObjectCodec#MAX_MAX_DEPTH}; default
     *                       {@value dev.forklift.codec.ObjectCodec#DEFAULT_MAX_DEPTH}, or the system property
     *                       {@value dev.forklift.codec.ObjectCodec#MAX_DEPTH_PROPERTY} of the process that builds the
     *                       pool. The workers get the same value. A deeper input or result fails its task with a
     *                       {@link dev.forklift.codec.CodecException} naming the limit.
     * @return this builder.
     * @throws IllegalArgumentException if out of range.
     */
    public PoolBuilder maxObjectDepth(final int maxObjectDepth) {
        this.maxObjectDepth = ObjectCodec.checkMaxDepth(maxObjectDepth);
        return this;
    }

    /**
     * Workers from the user's warm host: worker JVMs of the same java, class path and JVM options started before
     * and waiting, so that building a pool costs a handshake per worker instead of a JVM start (see
     * {@link dev.forklift.process.ChildProcessBuilder#warm(boolean)}, and "Warm workers" in docs/pool.md). The first
     * pool that asks starts the host and starts its own workers as usual; later pools, from this JVM or others of
     * the same user, take spare ones. Replacements after a crash come from the host too when it has one spare. A
     * warm worker that crashes is handled like any worker crash. Default false.
     *
     * @param enabled true to take warm workers when the host has them.
     * @return this builder.
     */
    public PoolBuilder warmWorkers(final boolean enabled) {
        this.warmWorkers = enabled;
        return this;
    }

    /**
     * Starts the user's warm host for this builder's workers (class path and JVM options) if it is not running,
     * and waits until it holds {@link #workers(int) workers} spare worker JVMs, so that the next {@link #build()}
     * with {@link #warmWorkers(boolean) warmWorkers(true)} takes them. Blocks the caller up to the timeout.
     *
     * @param timeout the longest wait.
     * @return true once the spare workers are there; false at the timeout or when the class path does not allow a
     *     warm host.
     */
    public boolean warmUp(final Duration timeout) {
        final PoolConfig config = config();
        // With the worker's main class as the host's hint, its first spares rehearse a pool worker's start too.
        return dev.forklift.process.internal.WarmHostClient.warmUp(config.classpath() != null ? config.classpath()
                : dev.forklift.process.internal.ChildClasspath.forChild(Thread.currentThread().getContextClassLoader()),
            SharedMemoryTransport.workerJvmOptions(config), config.workers(), timeout,
            dev.forklift.pool.internal.WorkerMain.class.getName());
    }

    /**
     * @param classpath the workers' class path; default as {@link dev.forklift.process.ChildProcessBuilder#classpath}
     *                  (this JVM's, or {@code -Dforklift.classpath}). It must include Forklift itself.
     * @return this builder.
     */
    public PoolBuilder classpath(final String classpath) {
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalArgumentException("classpath must not be blank: classpath=" + classpath);
        }
        this.classpath = classpath;
        return this;
    }

    /**
     * @param name a name for the pool's workers and queues (workers are named {@code name-worker-N}).
     * @return this builder.
     */
    public PoolBuilder name(final String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("pool name must not be blank: name=" + name);
        }
        this.name = name;
        return this;
    }

    /**
     * @param timeout how long {@link Pool#close()} waits for accepted tasks; default 10 minutes.
     * @return this builder.
     */
    public PoolBuilder closeTimeout(final Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("close timeout must not be negative: closeTimeout=" + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * @param output where the workers' output lines go; default inherited, prefixed with worker name and pid.
     * @return this builder.
     */
    public PoolBuilder output(final ChildOutput output) {
        this.output = Objects.requireNonNull(output, "output");
        return this;
    }

    /**
     * Runs the pool's tasks on the worker hosts of a cluster ({@code forklift worker}) through a message broker
     * instead of on local workers: the same API, found through {@link dev.forklift.pool.spi.BrokerPoolFactory} in
     * the module {@code forklift-cluster}, which must be on the class path. See {@code docs/cluster.md}.
     *
     * @param url the broker's URL, such as {@code tcp://host:61616}.
     * @return this builder.
     */
    public PoolBuilder broker(final String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("broker URL must not be blank: broker=" + url);
        }
        this.brokerUrl = url;
        return this;
    }

    /**
     * Starts the workers (in parallel) and returns once the first of them runs: tasks submitted at once go to it while
     * the others still start, and each of those takes tasks as soon as it is ready. A worker that fails to start
     * before any is ready fails the build; one that fails later is logged with its reason (pid, exit code, the last
     * lines of its output) and replaced as a crashed worker would be. {@link Pool#workerPids()} waits for the starts.
     *
     * @return the pool.
     * @throws dev.forklift.process.ChildStartException if a worker fails to start before any is ready; none is left
     *                                                  running.
     * @throws IllegalStateException if {@link #broker} is set and the module {@code forklift-cluster} is absent.
     */
    public Pool build() {
        StartupTrace.stamp("pool build()");
        final PoolConfig config = config();
        if (brokerUrl != null) {
            return dev.forklift.pool.spi.BrokerPoolFactory.find().start(config, brokerUrl);
        }
        return PoolImpl.start(config, new SharedMemoryTransport(config));
    }

    /**
     * The settings as configured so far, for starting a pool over another transport than shared memory (see
     * {@code dev.forklift.pool.internal.WorkerTransport}). The returned type is internal and may change.
     *
     * @return the settings.
     */
    public PoolConfig config() {
        checkWorkers(workers, workerLimit);
        return new PoolConfig(name, workers, List.copyOf(jvmOptions), initializer, maxTasksPerWorker, taskTimeoutMs,
            retryPolicy, inFlightWindow, chunkSize, maxMessageBytes, allowList, classpath, closeTimeout, output,
            maxPendingSubmits, submitOverflow, heartbeatTimeoutMs, maxRssBytes, maxFailedTasks, failedTaskRetention,
            maxObjectDepth > 0 ? maxObjectDepth : ObjectCodec.defaultMaxDepth(), warmWorkers);
    }
}
