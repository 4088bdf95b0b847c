package dev.forklift.cli.run;

import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.process.RemoteTaskException;

import java.io.IOException;
import java.io.Writer;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the failed inputs of a {@code forklift run} as JSON lines ({@code --failed FILE}), one per input, with
 * what the pool recorded of its failure ({@link Pool#failedTasks()}): attempts, error, message, worker pid, exit
 * code or signal, timestamps and stack trace. Used by the thread that consumes the run's outcomes only.
 *
 * <p>The pool records a failure before delivering it; this log matches records to outcomes by input identity,
 * taking new records from the pool only when an outcome has none yet, and forgets each record once written, so it
 * holds at most the records of failures still in flight.
 */
final class FailedLog implements AutoCloseable {
    private final Writer out;
    private final Pool pool;
    private final Map<Object, FailedTask> unmatched = new IdentityHashMap<>();
    private FailedTask lastSeen;

    FailedLog(final Writer out, final Pool pool) {
        this.out = out;
        this.pool = pool;
    }

    /**
     * Writes one failed input.
     *
     * @param input   the input, as passed to the pool.
     * @param error   the failure delivered for it.
     * @param origins where inputs came from.
     * @param index   the input's index in the run.
     * @throws IOException if the file cannot be written.
     */
    void failed(final String input, final Throwable error, final InputOrigins origins, final long index)
        throws IOException {
        FailedTask record = unmatched.remove(input);
        if (record == null) {
            takeNewRecords();
            record = unmatched.remove(input);
        }
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("file", origins.file(index));
        fields.put("line", origins.line(index));
        fields.put("input", input);
        if (record != null) {
            fields.put("attempts", record.attempts());
            fields.put("error", record.errorClass());
            fields.put("message", record.errorMessage());
            fields.put("pid", record.workerPid() < 0 ? null : record.workerPid());
            fields.put("exitCode", record.exitCode().isPresent() ? record.exitCode().getAsInt() : null);
            fields.put("signal", record.signal().isPresent() ? record.signal().getAsInt() : null);
            fields.put("firstAttemptAt", record.firstAttemptAt().toString());
            fields.put("lastAttemptAt", record.lastAttemptAt().toString());
            fields.put("failedAt", record.failedAt().toString());
            fields.put("stackTrace", record.stackTrace());
        } else {
            // Not recorded by the pool (it never reached a worker, or its record was already dropped).
            fields.put("attempts", attempts(error));
            fields.put("error", error instanceof RemoteTaskException ? ((RemoteTaskException) error).remoteClassName()
                : error.getClass().getName());
            fields.put("message", error instanceof RemoteTaskException ? ((RemoteTaskException) error).remoteMessage()
                : error.getMessage());
            fields.put("pid", error instanceof WorkerCrashedException ? ((WorkerCrashedException) error).pid()
                : error instanceof RemoteTaskException ? ((RemoteTaskException) error).pid() : null);
            fields.put("exitCode", error instanceof WorkerCrashedException
                ? ((WorkerCrashedException) error).exitCode() : null);
            fields.put("signal", null);
            fields.put("firstAttemptAt", null);
            fields.put("lastAttemptAt", null);
            fields.put("failedAt", null);
            fields.put("stackTrace", null);
        }
        out.write(Json.object(fields));
        out.write('\n');
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
