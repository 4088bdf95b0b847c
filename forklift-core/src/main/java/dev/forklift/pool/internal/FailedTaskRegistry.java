package dev.forklift.pool.internal;

import dev.forklift.pool.FailedTask;

import dev.forklift.process.RemoteTaskException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalInt;

/**
 * The failed-task records of one pool, oldest first, bounded both by count (the oldest record goes when a new one
 * would exceed it) and by age (records older than the retention are dropped on every add and read). Memory stays
 * at most {@code maxRecords} times (one input plus {@value FailedTask#MAX_STACK_TRACE_CHARS} characters of text).
 *
 * <p>Thread-safe: the master adds from its threads, callers read from theirs; every method holds a private lock
 * briefly and never blocks otherwise. Internal; not API; shared with the pool over a broker, which keeps its
 * records the same way.
 */
public final class FailedTaskRegistry {
    private final int maxRecords;
    private final Duration maxAge;
    private final ArrayDeque<FailedTask> records = new ArrayDeque<>();

    /**
     * @param maxRecords the most records kept, 0 for none.
     * @param maxAge     how long a record is kept after its failure; positive.
     */
    public FailedTaskRegistry(final int maxRecords, final Duration maxAge) {
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords must not be negative: maxRecords=" + maxRecords);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: maxAge=" + maxAge);
        }
        this.maxRecords = maxRecords;
        this.maxAge = maxAge;
    }

    /** @return true when records are kept at all. */
    public boolean enabled() {
        return maxRecords > 0;
    }

    /** @param record a new record; the oldest goes when the registry is full. */
    public synchronized void add(final FailedTask record) {
        if (maxRecords == 0) {
            return;
        }
        expire(Instant.now());
        while (records.size() >= maxRecords) {
            records.pollFirst();
        }
        records.addLast(record);
    }

    /** @return the records kept now, oldest first; an immutable copy. */
    public synchronized List<FailedTask> snapshot() {
        expire(Instant.now());
        return List.copyOf(records);
    }

    private void expire(final Instant now) {
        final Instant oldest = now.minus(maxAge);
        while (!records.isEmpty() && records.peekFirst().failedAt().isBefore(oldest)) {
            records.pollFirst();
        }
    }

    /**
     * Builds the record of one input that failed for good.
     *
     * @param job      the task the input failed in.
     * @param index    the input's index in the task.
     * @param attempts the attempts charged to it, the last one included.
     * @param error    the error delivered for it.
     * @param worker   the worker of the last attempt, or null.
     * @param exitCode the worker's exit code when it died running the input.
     * @param signal   the signal that killed the worker, if any.
     * @return the record.
     */
    static FailedTask record(final Job job, final int index, final int attempts, final Throwable error,
        final WorkerState worker, final OptionalInt exitCode, final OptionalInt signal) {
        return record(job.id, job.inputs[index], attempts, error, worker == null ? "" : worker.channel.name(),
            worker == null ? -1 : worker.channel.pid(), exitCode, signal, job.firstAttemptMs, job.lastAttemptMs);
    }

    /**
     * Builds the record of one input that failed for good.
     *
     * @param taskId         the id of the task the input failed in.
     * @param input          the input.
     * @param attempts       the attempts charged to it, the last one included.
     * @param error          the error delivered for it.
     * @param worker         the name of the worker of the last attempt, or "".
     * @param pid            that worker's process id, or -1.
     * @param exitCode       the worker's exit code when it died running the input.
     * @param signal         the signal that killed the worker, if any.
     * @param firstAttemptMs when the first attempt started (epoch milliseconds), 0 for now.
     * @param lastAttemptMs  when the last attempt started (epoch milliseconds), 0 for now.
     * @return the record.
     */
    public static FailedTask record(final long taskId, final Object input, final int attempts, final Throwable error,
        final String worker, final long pid, final OptionalInt exitCode, final OptionalInt signal,
        final long firstAttemptMs, final long lastAttemptMs) {
        final String errorClass;
        final String message;
        if (error instanceof RemoteTaskException) {
            errorClass = ((RemoteTaskException) error).remoteClassName();
            message = ((RemoteTaskException) error).remoteMessage();
        } else {
            errorClass = error.getClass().getName();
            message = error.getMessage();
        }
        final Instant now = Instant.now();
        return new FailedTask(taskId, input, describe(input), attempts, errorClass, message == null ? "" : message,
            stackTrace(error), worker, pid, exitCode, signal,
            firstAttemptMs == 0 ? now : Instant.ofEpochMilli(firstAttemptMs),
            lastAttemptMs == 0 ? now : Instant.ofEpochMilli(lastAttemptMs), now);
    }

    private static String describe(final Object input) {
        String text;
        try {
            text = input instanceof String ? "\"" + input + "\"" : String.valueOf(input);
        } catch (final RuntimeException ex) {
            text = input.getClass().getName() + " (toString threw " + ex + ")";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String stackTrace(final Throwable error) {
        final StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            error.printStackTrace(out);
        } catch (final RuntimeException ex) {
            return error.toString();
        }
        final String trace = text.toString();
        return trace.length() <= FailedTask.MAX_STACK_TRACE_CHARS ? trace
            : trace.substring(0, FailedTask.MAX_STACK_TRACE_CHARS - 4) + "\n...";
    }
}
