package dev.forklift.pool;

import dev.forklift.process.RemoteTaskException;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which failed attempts of a task the pool retries, and how often. Immutable; evaluated in the parent.
 *
 * <p>A worker crash during a task is retried by default; a timeout and an exception thrown by the function are
 * not (a function that throws usually throws again). Each retry runs on a worker other than the one that failed
 * when the failure was a crash or a timeout, since that worker is gone.
 *
 * <pre>{@code
 * RetryPolicy.attempts(5).retryTimeouts(true).retryExceptions(e -> e.remoteClassName().endsWith("IOException"))
 * }</pre>
 */
public final class RetryPolicy {
    /** Default number of attempts: 3. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_MAX_ATTEMPTS, true, false, e -> false);

    private final int maxAttempts;
    private final boolean retryCrashes;
    private final boolean retryTimeouts;
    private final Predicate<? super RemoteTaskException> retryExceptions;

    private RetryPolicy(final int maxAttempts, final boolean retryCrashes, final boolean retryTimeouts,
        final Predicate<? super RemoteTaskException> retryExceptions) {
        this.maxAttempts = maxAttempts;
        this.retryCrashes = retryCrashes;
        this.retryTimeouts = retryTimeouts;
        this.retryExceptions = retryExceptions;
    }

    /** @return 3 attempts; crashes retried, timeouts and exceptions not. */
    public static RetryPolicy defaults() {
        return DEFAULT;
    }

    /** @return one attempt: nothing is retried. */
    public static RetryPolicy none() {
        return attempts(1);
    }

    /**
     * @param maxAttempts the most attempts per input, 1 to 1000 (1 means no retry).
     * @return the default policy with this many attempts.
     */
    public static RetryPolicy attempts(final int maxAttempts) {
        return DEFAULT.maxAttempts(maxAttempts);
    }

    /**
     * @param maxAttempts the most attempts per input, 1 to 1000.
     * @return a copy with this many attempts.
     */
    public RetryPolicy maxAttempts(final int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new IllegalArgumentException("maxAttempts must be in 1..1000: maxAttempts=" + maxAttempts);
        }
        return new RetryPolicy(maxAttempts, retryCrashes, retryTimeouts, retryExceptions);
    }

    /**
     * @param retry whether an attempt that ended with its worker's death is retried (default true).
     * @return a copy with this choice.
     */
    public RetryPolicy retryCrashes(final boolean retry) {
        return new RetryPolicy(maxAttempts, retry, retryTimeouts, retryExceptions);
    }

    /**
     * @param retry whether an attempt that ran over the task timeout is retried (default false).
     * @return a copy with this choice.
     */
    public RetryPolicy retryTimeouts(final boolean retry) {
        return new RetryPolicy(maxAttempts, retryCrashes, retry, retryExceptions);
    }

    /**
     * @param which the exceptions thrown by the function that are retried (default none); called in the parent.
     * @return a copy with this choice.
     */
    public RetryPolicy retryExceptions(final Predicate<? super RemoteTaskException> which) {
        return new RetryPolicy(maxAttempts, retryCrashes, retryTimeouts, Objects.requireNonNull(which, "which"));
    }

    /** @return the most attempts per input. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return whether crashes are retried. */
    public boolean retriesCrashes() {
        return retryCrashes;
    }

    /** @return whether timeouts are retried. */
    public boolean retriesTimeouts() {
        return retryTimeouts;
    }

    /**
     * @param thrown an exception the function threw in a worker.
     * @return whether an attempt that threw it is retried (attempts permitting).
     */
    public boolean retriesException(final RemoteTaskException thrown) {
        return retryExceptions.test(thrown);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", crashes=" + retryCrashes + ", timeouts="
            + retryTimeouts + "]";
    }
}
