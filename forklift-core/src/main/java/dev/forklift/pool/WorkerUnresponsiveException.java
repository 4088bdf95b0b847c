package dev.forklift.pool;

import dev.forklift.ForkliftException;

/**
 * Why the pool killed a worker that stopped writing heartbeats (see {@link PoolBuilder#heartbeatTimeout}): the
 * cause of the {@link WorkerCrashedException} of an input that was running on such a worker in its last attempt.
 * Created in the parent by the pool; never thrown by itself.
 *
 * @serial exclude
 */
public class WorkerUnresponsiveException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final long silentMs;
    private final long heartbeatTimeoutMs;

    /**
     * @param workerName         the worker's name.
     * @param pid                its pid.
     * @param silentMs           how long its heartbeat had not changed when the pool killed it.
     * @param heartbeatTimeoutMs the pool's heartbeat timeout.
     */
    public WorkerUnresponsiveException(final String workerName, final long pid, final long silentMs,
        final long heartbeatTimeoutMs) {
        super("the pool killed worker '" + workerName + "' (pid " + pid + ") because its heartbeat was stale: "
            + "unchanged for " + silentMs + " ms (heartbeatTimeout=" + heartbeatTimeoutMs + " ms)");
        this.pid = pid;
        this.silentMs = silentMs;
        this.heartbeatTimeoutMs = heartbeatTimeoutMs;
    }

    /** @return the pid of the worker the pool killed. */
    public long pid() {
        return pid;
    }

    /** @return how long its heartbeat had not changed, in ms. */
    public long silentMs() {
        return silentMs;
    }

    /** @return the pool's heartbeat timeout, in ms. */
    public long heartbeatTimeoutMs() {
        return heartbeatTimeoutMs;
    }
}
