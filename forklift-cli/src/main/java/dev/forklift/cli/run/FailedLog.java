package dev.forklift.cli.run;

import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.process.RemoteTaskException;

import java.io.IOException;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the failed inputs of a {@code forklift run} as JSON lines ({@code --failed FILE}), one per input, with
 * what the pool recorded of its failure ({@link Pool#failedTasks()}): attempts, error, message, worker pid, exit
 * code or signal, timestamps and stack trace; and the lines that could not be read ({@link RejectedLine}), with
 * their reason. Used by the thread that consumes the run's outcomes only; each record is handed to the operating
 * system within {@link PeriodicFlush#INTERVAL_MS} (the output is thread-safe).
 *
 * <p>The pool records a failure before delivering it; this log matches records to outcomes by input identity,
 * taking new records from the pool only when an outcome has none yet, and forgets each record once written, so it
 * holds at most the records of failures still in flight.
 */
final class FailedLog implements AutoCloseable {
    private final LineOutput out;
    private final Pool pool;
    private final int maxInputBytes;
    private final Map<Object, FailedTask> unmatched = new IdentityHashMap<>();
    private FailedTask lastSeen;

    /**
     * @param out           the file.
     * @param pool          the run's pool, for its failure records.
     * @param maxInputBytes the run's {@code --max-input-size}, named in messages about messages too large.
     */
    FailedLog(final LineOutput out, final Pool pool, final int maxInputBytes) {
        this.out = out;
        this.pool = pool;
        this.maxInputBytes = maxInputBytes;
    }

    /** @return the output the records go to. */
    LineOutput output() {
        return out;
    }

    /**
     * Writes one failed input.
     *
     * @param input the input, as passed to the pool.
     * @param error the failure delivered for it.
     * @param file  the file it came from.
     * @param line  its line there.
     * @throws IOException if the file cannot be written.
     */
    void failed(final String input, final Throwable error, final String file, final long line) throws IOException {
        FailedTask record = unmatched.remove(input);
        if (record == null) {
            takeNewRecords();
            record = unmatched.remove(input);
        }
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("file", file);
        fields.put("line", line);
        fields.put("input", input);
        if (record != null) {
            fields.put("attempts", record.attempts());
            fields.put("error", record.errorClass());
            fields.put("message", RunLimits.nameTheOption(record.errorMessage(), maxInputBytes));
            fields.put("pid", record.workerPid() < 0 ? null : (Object) record.workerPid());
            fields.put("exitCode", record.exitCode().isPresent() ? (Object) record.exitCode().getAsInt() : null);
            fields.put("signal", record.signal().isPresent() ? (Object) record.signal().getAsInt() : null);
            fields.put("firstAttemptAt", record.firstAttemptAt().toString());
            fields.put("lastAttemptAt", record.lastAttemptAt().toString());
            fields.put("failedAt", record.failedAt().toString());
            fields.put("stackTrace", record.stackTrace());
        } else {
            // Not recorded by the pool (it never reached a worker, or its record was already dropped).
            fields.put("attempts", attempts(error));
            fields.put("error", error instanceof RemoteTaskException ? ((RemoteTaskException) error).remoteClassName()
                : error.getClass().getName());
            fields.put("message", RunLimits.nameTheOption(error instanceof RemoteTaskException
                ? ((RemoteTaskException) error).remoteMessage() : error.getMessage(), maxInputBytes));
            fields.put("pid", pid(error));
            fields.put("exitCode", error instanceof WorkerCrashedException
                ? (Object) ((WorkerCrashedException) error).exitCode() : null);
            fields.put("signal", null);
            fields.put("firstAttemptAt", null);
            fields.put("lastAttemptAt", null);
            fields.put("failedAt", Instant.now().toString());
            fields.put("stackTrace", null);
        }
        out.writeLine(Json.object(fields));
    }

    /**
     * Writes one line that could not be read; its {@code input} is the preview of the line.
     *
     * @param rejected the line's problem.
     * @param file     the file it came from.
     * @param line     its line there.
     * @throws IOException if the file cannot be written.
     */
    void rejected(final RejectedLine rejected, final String file, final long line) throws IOException {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("file", file);
        fields.put("line", line);
        fields.put("input", rejected.preview());
        fields.put("attempts", 0);
        fields.put("error", rejected.error());
        fields.put("message", rejected.message());
        fields.put("pid", null);
        fields.put("exitCode", null);
        fields.put("signal", null);
        fields.put("firstAttemptAt", null);
        fields.put("lastAttemptAt", null);
        fields.put("failedAt", Instant.now().toString());
        fields.put("stackTrace", null);
        out.writeLine(Json.object(fields));
    }

    /** Forgets the pool's record of an input that is not written (it did not run, or its outcome was dropped). */
    void forget(final String input) {
        if (unmatched.remove(input) == null) {
            takeNewRecords();
            unmatched.remove(input);
        }
    }

    private static Object pid(final Throwable error) {
        if (error instanceof WorkerCrashedException) {
            return ((WorkerCrashedException) error).pid();
        }
        if (error instanceof RemoteTaskException) {
            return ((RemoteTaskException) error).pid();
        }
        return null;
    }

    private static Integer attempts(final Throwable error) {
        if (error instanceof WorkerCrashedException) {
            return ((WorkerCrashedException) error).attempts();
        }
        if (error instanceof TaskTimeoutException) {
            return ((TaskTimeoutException) error).attempts();
        }
        return null;
    }

    /** Adds the records the pool made since the last one seen (all of them if that one is gone). */
    private void takeNewRecords() {
        final List<FailedTask> records = pool.failedTasks();
        int from = 0;
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i) == lastSeen) {
                from = i + 1;
                break;
            }
        }
        for (int i = from; i < records.size(); i++) {
            unmatched.put(records.get(i).input(), records.get(i));
        }
        if (!records.isEmpty()) {
            lastSeen = records.get(records.size() - 1);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
