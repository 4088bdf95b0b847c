package dev.forklift.pool;

import dev.forklift.ForkliftException;

/**
 * A task ran longer than the pool's task timeout ({@link PoolBuilder#taskTimeout}) on each of its attempts: the
 * pool killed the worker running it (and started a replacement) and completed the task's future with this, in the
 * parent.
 *
 * @serial exclude
 */
public class TaskTimeoutException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    private final long timeoutMs;
    private final long pid;
    private final int attempts;
    private final transient Object input;

    /**
     * @param workerName the worker that ran the last attempt.
     * @param pid        its pid.
     * @param timeoutMs  the timeout that passed, in milliseconds.
     * @param attempts   how many attempts timed out.
     * @param input      the input, may be null.
     */
    public TaskTimeoutException(final String workerName, final long pid, final long timeoutMs, final int attempts,
        final Object input) {
        super("input " + Describe.input(input) + " ran longer than its timeout of " + timeoutMs + " ms on worker '"
            + workerName + "' (pid " + pid + "), which was killed; attempts=" + attempts);
        this.timeoutMs = timeoutMs;
        this.pid = pid;
        this.attempts = attempts;
        this.input = input;
    }

    /** @return the timeout that passed, in milliseconds. */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** @return the pid of the worker that ran the last attempt. */
    public long pid() {
        return pid;
    }

    /** @return how many attempts timed out. */
    public int attempts() {
        return attempts;
    }

    /** @return the input (null after this exception was itself serialized). */
    public Object input() {
        return input;
    }
}
