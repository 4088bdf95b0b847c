package dev.forklift.cluster.internal;

/**
 * The names Forklift uses on the broker: queues and message properties. Every queue is anycast (each message to one
 * consumer); task, function and result messages are persistent. Internal to the module.
 *
 * <ul>
 * <li>{@value #TASKS}: every pool's tasks; each worker host consumes from it.</li>
 * <li>{@code forklift.fn.POOL}: the functions of one pool, one message each, browsed (never consumed) by hosts
 * that meet a task of a function they do not know yet; deleted when the pool closes.</li>
 * <li>{@code forklift.results.POOL}: the results of one pool's tasks, consumed by the pool's caller.</li>
 * <li>{@value #HOSTS}: a last-value queue of the worker hosts' status messages (one per host, expiring), browsed by
 * {@code forklift ps}.</li>
 * <li>{@code forklift.queue.NAME}: a {@code Queue} carried over the broker.</li>
 * </ul>
 */
public final class Protocol {
    /** The shared task queue. */
    public static final String TASKS = "forklift.tasks";
    /** The worker hosts' status queue. */
    public static final String HOSTS = "forklift.hosts";
    /** Prefix of a pool's function queue. */
    public static final String FUNCTIONS_PREFIX = "forklift.fn.";
    /** Prefix of a pool's result queue. */
    public static final String RESULTS_PREFIX = "forklift.results.";
    /** Prefix of a broker-carried queue. */
    public static final String QUEUE_PREFIX = "forklift.queue.";

    /** The pool a task or function belongs to (string). */
    public static final String POOL = "fl_pool";
    /** A task's id within its pool (long). */
    public static final String TASK = "fl_task";
    /** The attempt a task message or result is of (int). */
    public static final String ATTEMPT = "fl_attempt";
    /** A function's id within its pool (int). */
    public static final String FUNCTION = "fl_fn";
    /** Per-input timeout of the task, milliseconds, 0 for none (long). */
    public static final String TIMEOUT_MS = "fl_timeoutMs";
    /** The host a result or status comes from (string). */
    public static final String HOST = "fl_host";
    /** What a result carries: one of the {@code KIND_} values (int). */
    public static final String KIND = "fl_kind";
    /** The pid of the worker JVM of a result, or 0 (long). */
    public static final String WORKER_PID = "fl_pid";
    /** Exit code of a crashed worker (int). */
    public static final String EXIT_CODE = "fl_exit";
    /** Signal of a crashed worker, or -1 (int). */
    public static final String SIGNAL = "fl_signal";
    /** Error text of a failed task (string). */
    public static final String ERROR = "fl_error";
    /** Host status: its workers (int). */
    public static final String WORKERS = "fl_workers";
    /** Host status: the pids of its workers, comma-separated (string). */
    public static final String PIDS = "fl_pids";
    /** Host status: tasks done since it started (long). */
    public static final String DONE = "fl_done";
    /** Host status: tasks it holds now (int). */
    public static final String HELD = "fl_held";

    /** Result: the body holds each input's outcome (see {@link Outcomes}). */
    public static final int KIND_OUTCOMES = 0;
    /** Result: the worker running the task died; the whole task failed. */
    public static final int KIND_CRASH = 1;
    /** Result: the task ran over its timeout; its worker was killed. */
    public static final int KIND_TIMEOUT = 2;
    /** Result: the host cannot load the task's classes; never retried. */
    public static final int KIND_MISSING_CLASS = 3;
    /** Result: the task was delivered too often to hosts that died holding it; never retried. */
    public static final int KIND_GAVE_UP = 4;
    /** Result: the host failed the task for another reason (its local pool refused it). */
    public static final int KIND_HOST_ERROR = 5;

    /** Deliveries of one task message after which a host fails it instead of running it again. */
    public static final int MAX_DELIVERIES = 10;

    private Protocol() {
    }

    /** @param pool a pool id. @return its function queue. */
    public static String functions(final String pool) {
        return FUNCTIONS_PREFIX + pool;
    }

    /** @param pool a pool id. @return its result queue. */
    public static String results(final String pool) {
        return RESULTS_PREFIX + pool;
    }
}
