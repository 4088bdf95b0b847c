package dev.forklift.pool.internal;

import dev.forklift.process.ExitStatus;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * What a pool reports through {@link System.Logger} {@value #LOGGER_NAME} (so JUL, SLF4J or Log4j setups capture it
 * with their bridges): worker starts and clean exits at DEBUG; retries, recycling and deaths the pool caused at INFO;
 * crashes, timeouts, silent workers and failed starts at WARNING; a broken pool at ERROR. Every method checks the
 * level first, so nothing is formatted when it is off. Called by the master's threads, often with the pool's lock
 * held: a logging backend that blocks delays the pool. Internal; not API.
 */
final class PoolLog {
    /** The logger's name. */
    static final String LOGGER_NAME = "dev.forklift.pool";

    private static final Logger LOG = System.getLogger(LOGGER_NAME);

    private PoolLog() {
    }

    static void workerStarted(final WorkerChannel worker) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "worker {0} started: pid {1}", worker.name(), Long.toString(worker.pid()));
        }
    }

    static void workerRetired(final WorkerChannel worker) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "worker {0} (pid {1}) retired and exited", worker.name(),
                Long.toString(worker.pid()));
        }
    }

    static void workerEndedByPool(final WorkerChannel worker, final ExitStatus status, final int unfinished) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "worker {0} (pid {1}) ended as the pool asked ({2}); {3} unfinished task(s) go to"
                + " other workers", worker.name(), Long.toString(worker.pid()), status, unfinished);
        }
    }

    static void workerCrashed(final WorkerChannel worker, final ExitStatus status, final int unfinished) {
        if (LOG.isLoggable(Level.WARNING)) {
            LOG.log(Level.WARNING, "worker {0} (pid {1}) died: {2}; {3} unfinished task(s) retried or re-sent, a"
                + " replacement starts", worker.name(), Long.toString(worker.pid()), status, unfinished);
        }
    }

    static void retry(final WorkerChannel worker, final String why, final int attempt, final int maxAttempts) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "retrying the input that worker {0} (pid {1}) was running ({2}): attempt {3} of {4}",
                worker.name(), Long.toString(worker.pid()), why, attempt + 1, maxAttempts);
        }
    }

    static void timedOut(final WorkerChannel worker, final long timeoutMs) {
        if (LOG.isLoggable(Level.WARNING)) {
            LOG.log(Level.WARNING, "worker {0} (pid {1}) ran a task past its timeout of {2} ms: killing it",
                worker.name(), Long.toString(worker.pid()), Long.toString(timeoutMs));
        }
    }

    static void silent(final WorkerChannel worker, final long silentMs, final long heartbeatTimeoutMs) {
        if (LOG.isLoggable(Level.WARNING)) {
            LOG.log(Level.WARNING, "worker {0} (pid {1}) has not beaten for {2} ms (heartbeat timeout {3} ms):"
                + " killing it", worker.name(), Long.toString(worker.pid()), Long.toString(silentMs),
                Long.toString(heartbeatTimeoutMs));
        }
    }

    static void recycled(final WorkerChannel worker) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "worker {0} (pid {1}) is over its resident-set limit: it finishes its tasks and a"
                + " fresh worker takes its place", worker.name(), Long.toString(worker.pid()));
        }
    }

    static void startFailed(final String poolName, final int count, final RuntimeException failure,
        final long nextDelayMs) {
        if (LOG.isLoggable(Level.WARNING)) {
            LOG.log(Level.WARNING, "pool ''{0}'': {1} worker(s) could not start (next try in {2} ms): {3}",
                poolName, count, Long.toString(nextDelayMs), failure.getMessage());
        }
    }

    static void broken(final String poolName, final RuntimeException cause) {
        if (LOG.isLoggable(Level.ERROR)) {
            // A message with a throwable and no parameters is not formatted: single quotes, not doubled ones.
            LOG.log(Level.ERROR, "pool '" + poolName + "' is broken: it fails its pending tasks and accepts no"
                + " more", cause);
        }
    }
}
