package dev.forklift.cluster.internal;

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
 * The failed-task records of a cluster pool, bounded in number and age as a local pool's are. Thread-safe.
 * Internal to the module.
 */
final class FailureRecords {
    private final int maxRecords;
    private final Duration maxAge;
    private final ArrayDeque<FailedTask> records = new ArrayDeque<>();
    private long total;

    FailureRecords(final int maxRecords, final Duration maxAge) {
        this.maxRecords = maxRecords;
        this.maxAge = maxAge;
    }

    synchronized void add(final CallerTask task, final int index, final Throwable error, final String worker,
        final long pid, final OptionalInt exitCode, final OptionalInt signal) {
        total++;
        if (maxRecords == 0) {
            return;
        }
        final Object input = task.inputs[index];
        final String errorClass = error instanceof RemoteTaskException ? ((RemoteTaskException) error).remoteClassName()
            : error.getClass().getName();
        final String message = error instanceof RemoteTaskException ? ((RemoteTaskException) error).remoteMessage()
            : error.getMessage();
        final Instant now = Instant.now();
        records.addLast(new FailedTask(task.id, input, describe(input), task.attempt, errorClass,
            message == null ? "" : message, stackTrace(error), worker, pid, exitCode, signal,
            task.firstAttemptMs == 0 ? now : Instant.ofEpochMilli(task.firstAttemptMs),
            task.lastAttemptMs == 0 ? now : Instant.ofEpochMilli(task.lastAttemptMs), now));
        while (records.size() > maxRecords) {
            records.pollFirst();
        }
    }

    synchronized long total() {
        return total;
    }

    synchronized List<FailedTask> snapshot() {
        final Instant oldest = Instant.now().minus(maxAge);
        while (!records.isEmpty() && records.peekFirst().failedAt().isBefore(oldest)) {
            records.pollFirst();
        }
        return List.copyOf(records);
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
        }
        final String trace = text.toString();
        return trace.length() <= FailedTask.MAX_STACK_TRACE_CHARS ? trace
            : trace.substring(0, FailedTask.MAX_STACK_TRACE_CHARS - 4) + "\n...";
    }
}
