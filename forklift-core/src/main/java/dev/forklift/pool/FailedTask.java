package dev.forklift.pool;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * The record a pool keeps of one input that ended in failure: its task function threw (after any retries the
 * {@link RetryPolicy} allowed), every worker that ran it died ({@link WorkerCrashedException}), or it ran over the
 * task timeout ({@link TaskTimeoutException}). Read with {@link Pool#failedTasks()}, in the parent, from any
 * thread; kept for the retention the pool was built with ({@link PoolBuilder#failedTaskRetention}). Immutable
 * (except for whatever the input object itself allows).
 *
 * <p>Inputs cancelled by {@link Pool#shutdownNow} or by a broken pool, and inputs that could not even be encoded
 * (they never reached a worker), are not recorded.
 *
 * @param taskId         the pool's id of the task (a chunk of {@code map} inputs, or the single-input retry of one
 *                       of them) in which the input failed for the last time.
 * @param input          the input as the caller passed it (the same object; retained with the record).
 * @param inputText      a short rendering of the input, at most about 200 characters.
 * @param attempts       the attempts charged to the input, the failed last one included.
 * @param errorClass     the class name of the error: the exception class thrown in the worker, or
 *                       {@link WorkerCrashedException} or {@link TaskTimeoutException}.
 * @param errorMessage   its message, possibly empty.
 * @param stackTrace     the stack trace as text (the worker's frames for an exception thrown in the worker), at
 *                       most {@value #MAX_STACK_TRACE_CHARS} characters.
 * @param workerName     the name of the worker of the last attempt.
 * @param workerPid      its pid, or -1 when unknown.
 * @param exitCode       the exit code of that worker when it died running the input (a crash), else empty.
 * @param signal         the signal that killed that worker, when one did (a crash, or the pool's own kill after
 *                       a timeout), else empty.
 * @param firstAttemptAt when the input was first sent to a worker.
 * @param lastAttemptAt  when it was last sent to a worker.
 * @param failedAt       when the pool gave up on it.
 */
public record FailedTask(long taskId, Object input, String inputText, int attempts, String errorClass,
                         String errorMessage, String stackTrace, String workerName, long workerPid,
                         OptionalInt exitCode, OptionalInt signal, Instant firstAttemptAt, Instant lastAttemptAt,
                         Instant failedAt) {
    /** Longest stack trace text kept per record, so that the retained records stay small. */
    public static final int MAX_STACK_TRACE_CHARS = 8192;
}
