package dev.forklift.cli.run;

import dev.forklift.cli.LibraryTerms;
import dev.forklift.cli.progress.ProgressBar;
import dev.forklift.pool.Outcome;
import dev.forklift.pool.Pool;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.process.RemoteTaskException;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code forklift run} from its first input to its last outcome, or to a stop signal: hands the inputs to the
 * pool, writes each outcome as it comes (in input order, each completed prefix; unordered, at once), and on
 * {@link #stop} stops handing out inputs, stops the pool (its workers are killed), writes what had finished, and
 * works out which records did not run.
 *
 * <p>{@link #run()} runs on the command's thread, which is also the thread that reads the inputs (the pool reads
 * them while its outcomes are consumed). {@link #stop} runs on the JVM's signal thread: it waits until the
 * command's thread is not handing an input to the pool (a lock held around the pool's {@code hasNext}), so that no
 * input can slip into a pool that is shutting down, then shuts the pool down, which fails every unfinished input
 * with a {@link CancellationException}; {@link #run()} then drains those and returns.
 */
final class RunLoop {
    /** How long the signal thread waits for the command to record its stop before it ends the process itself. */
    private static final long STOP_GRACE_SECONDS = 10;
    /** How long the signal thread waits for the command's thread to finish handing an input to the pool. */
    private static final long FEED_WAIT_SECONDS = 5;

    private final Pool pool;
    private final SerializableFunction<String, Object> task;
    private final RunInputs inputs;
    private final RecordSource origins;
    private final LineOutput out;
    private final FailedLog failedLog;
    private final ProgressBar progress;
    private final FailureSummary summary;
    private final boolean ordered;
    private final int maxInputBytes;
    private final PrintWriter err;
    private final ReentrantLock feedLock = new ReentrantLock();
    private final AtomicInteger stopSignal = new AtomicInteger();
    private final CountDownLatch recorded = new CountDownLatch(1);
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final RunRetries retries;
    /** In input order, retried successes wait for the end of the run, after every input's line. */
    private final java.util.List<RunRetries.Retried> retriedSuccesses = new java.util.ArrayList<>();
    private long[] notRun = new long[16];
    private int notRunCount;
    private long cut = -1;

    /**
     * @param pool          the run's pool.
     * @param task          the user's task.
     * @param inputs        the inputs.
     * @param origins       where the records come from, for file and line.
     * @param out           where results go.
     * @param failedLog     where failures are recorded, or null.
     * @param progress      the progress bar.
     * @param summary       the failures to list at the end.
     * @param ordered       true for results in input order.
     * @param maxInputBytes the run's {@code --max-input-size}.
     * @param err           standard error, for the last word when the run cannot record its stop.
     */
    RunLoop(final Pool pool, final SerializableFunction<String, Object> task, final RunInputs inputs,
        final RecordSource origins, final LineOutput out, final FailedLog failedLog, final ProgressBar progress,
        final FailureSummary summary, final boolean ordered, final int maxInputBytes, final PrintWriter err) {
        this.pool = pool;
        this.task = task;
        this.inputs = inputs;
        this.origins = origins;
        this.out = out;
        this.failedLog = failedLog;
        this.progress = progress;
        this.summary = summary;
        this.ordered = ordered;
        this.maxInputBytes = maxInputBytes;
        this.err = err;
        this.retries = new RunRetries(pool, new LineTask(task));
    }

    /**
     * The dashboard's "retry all failed": submits every input that failed so far once more (from a dashboard HTTP
     * thread). Unordered, each retried success is written when it comes; in input order, after every input's line
     * (a failed input's empty line stays where it is), unless the run is stopped. A success no longer counts as a
     * failure in the run's summary and exit code; {@code --failed} keeps the record of the first failure.
     *
     * @return what was done, for the viewer.
     * @throws IllegalStateException if the run is finishing.
     */
    String retryAllFailed() {
        if (stopSignal.get() != 0) {
            throw new IllegalStateException("the run is stopping: nothing can be retried in it");
        }
        return retries.retryAll();
    }

    /**
     * Runs until every input has its outcome, or until a stop and the outcomes of what was handed out.
     *
     * @throws IOException if an output cannot be written.
     */
    void run() throws IOException {
        final Iterator<Outcome<String, Object>> outcomes;
        feedLock.lock();
        try {
            if (stopSignal.get() != 0) {
                return;
            }
            outcomes = pool.imapOutcomes(new LineTask(task), inputs, ordered);
        } catch (final RejectedExecutionException ex) {
            if (stopSignal.get() != 0) {
                return; // stopped between the check and the start
            }
            throw ex;
        } finally {
            feedLock.unlock();
        }
        while (true) {
            final boolean more;
            feedLock.lock();
            try {
                more = outcomes.hasNext();
            } finally {
                feedLock.unlock();
            }
            if (!more) {
                finishRetries();
                return;
            }
            handle(outcomes.next());
            for (RunRetries.Retried retried = retries.poll(); retried != null; retried = retries.poll()) {
                retried(retried);
            }
        }
    }

    /** After the last input's outcome: the retries still running, then (in input order) their successes. */
    private void finishRetries() throws IOException {
        try {
            for (RunRetries.Retried retried = retries.awaitNext(); retried != null; retried = retries.awaitNext()) {
                retried(retried);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        if (stopSignal.get() == 0) {
            for (final RunRetries.Retried retried : retriedSuccesses) {
                writeRetried(retried);
            }
        }
        retriedSuccesses.clear();
    }

    private void retried(final RunRetries.Retried retried) throws IOException {
        final RunRetries.Failed input = retried.failed();
        if (retried.error() != null) {
            if (failedLog != null) {
                failedLog.forget(input.input()); // --failed has this input's first failure already
            }
            if (stopSignal.get() == 0 && !didNotRun(retried.error())) {
                retries.failed(input.record(), input.input());
            }
            return;
        }
        if (ordered) {
            retriedSuccesses.add(retried);
        } else {
            writeRetried(retried);
        }
    }

    private void writeRetried(final RunRetries.Retried retried) throws IOException {
        out.writeLine(String.valueOf(retried.result()));
        failed.decrementAndGet();
        done.incrementAndGet();
        progress.addDone(1);
        summary.remove(origins.origin(retried.failed().record()));
    }

    private void handle(final Outcome<String, Object> outcome) throws IOException {
        final long record = inputs.recordOf(outcome.index());
        final String input = outcome.input();
        final Throwable error = outcome.error();
        if (cut >= 0 || didNotRun(error)) {
            // In order, everything from the first input that did not run on is run again, so that the output
            // stays the answer to a prefix of the input.
            if (ordered) {
                cut = cut >= 0 ? cut : record;
            } else {
                addNotRun(record);
            }
            if (error != null && failedLog != null) {
                failedLog.forget(input);
            }
            return;
        }
        if (RejectedLine.isMarker(input)) {
            final RejectedLine rejected = RejectedLine.parse(input);
            failed.incrementAndGet();
            progress.addFailed(1);
            if (ordered) {
                out.writeLine("");
            }
            summary.add(origins.origin(record), rejected.preview(), rejected.error() + ": " + rejected.message());
            if (failedLog != null) {
                if (error != null) {
                    failedLog.forget(input);
                }
                failedLog.rejected(rejected, origins.file(record), origins.line(record));
            }
            return;
        }
        if (error == null) {
            out.writeLine(String.valueOf(outcome.result()));
            done.incrementAndGet();
            progress.addDone(1);
            return;
        }
        failed.incrementAndGet();
        progress.addFailed(1);
        if (ordered) {
            out.writeLine("");
        }
        summary.add(origins.origin(record), input, describe(error));
        retries.failed(record, input);
        if (failedLog != null) {
            failedLog.failed(input, error, origins.file(record), origins.line(record));
        }
    }

    /** @return true for an input the stop kept from finishing: cancelled, or on a worker the signal ended. */
    private boolean didNotRun(final Throwable error) {
        if (error instanceof CancellationException) {
            return true;
        }
        if (stopSignal.get() != 0 && error instanceof WorkerCrashedException) {
            // Ctrl-C in a terminal reaches the workers too (one process group); such a crash is the stop's doing.
            final WorkerCrashedException crash = (WorkerCrashedException) error;
            final int signal = crash.signal().orElse(crash.exitCode() > 128 ? crash.exitCode() - 128 : -1);
            return signal == StopSignals.INT || signal == StopSignals.TERM;
        }
        return false;
    }

    private void addNotRun(final long record) {
        if (notRunCount == notRun.length) {
            notRun = Arrays.copyOf(notRun, notRunCount * 2);
        }
        notRun[notRunCount++] = record;
    }

    /**
     * Stops the run: no further input is handed out, the pool is shut down (workers killed, unfinished inputs
     * cancelled). Called on the JVM's signal thread; later signals are ignored. If the command has not recorded
     * the stop within {@value #STOP_GRACE_SECONDS} s (its thread is stuck reading an input, such as a terminal's
     * standard input), flushes what was written, says so and ends the process.
     *
     * @param signal the signal's number.
     */
    void stop(final int signal) {
        if (!stopSignal.compareAndSet(0, signal)) {
            return;
        }
        inputs.stop();
        boolean locked = false;
        try {
            locked = feedLock.tryLock(FEED_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        try {
            pool.shutdownNow(Duration.ofSeconds(2));
        } finally {
            if (locked) {
                feedLock.unlock();
            }
        }
        try {
            if (recorded.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        try {
            out.flush();
            if (failedLog != null) {
                failedLog.output().flush();
            }
        } catch (final IOException ex) {
            // nothing more can be done
        }
        err.println("forklift run: stopped by " + signalName(signal) + " while waiting for input: " + done.get()
            + " done, " + failed.get() + " failed, written; what did not run could not be recorded");
        err.flush();
        Runtime.getRuntime().halt(128 + signal);
    }

    /** Tells {@link #stop} that the command has recorded the stop (or finished), so it need not end the process. */
    void recorded() {
        recorded.countDown();
    }

    /** @return the signal that stopped the run, or 0. */
    int stopSignal() {
        return stopSignal.get();
    }

    /** @return inputs that succeeded. */
    long done() {
        return done.get();
    }

    /** @return inputs that failed (read errors included). */
    long failed() {
        return failed.get();
    }

    /**
     * @return after a stop, the records before {@link #nextNotRun()} that did not run, ascending: the listed ones
     * not handed out, and those handed out that did not finish (in input order there are none: see
     * {@link #nextNotRun()}).
     */
    long[] notRun() {
        final long[] listed = inputs.listedNotHanded();
        final long next = nextNotRun();
        final long[] all = Arrays.copyOf(listed, listed.length + notRunCount);
        System.arraycopy(notRun, 0, all, listed.length, notRunCount);
        Arrays.sort(all);
        int count = all.length;
        while (count > 0 && all[count - 1] >= next) {
            count--;
        }
        return Arrays.copyOf(all, count);
    }

    /** @return after a stop, the first record from which no record ran. */
    long nextNotRun() {
        long next = cut >= 0 ? Math.min(cut, inputs.firstNotHanded()) : inputs.firstNotHanded();
        if (!ordered) {
            // Records handed out last that did not run join the tail that did not run.
            final long[] sorted = Arrays.copyOf(notRun, notRunCount);
            Arrays.sort(sorted);
            for (int i = sorted.length - 1; i >= 0 && sorted[i] == next - 1; i--) {
                next--;
            }
        }
        return next;
    }

    /** @return true when, after a stop, nothing is left to run. */
    boolean nothingLeft() {
        return inputs.allHanded() && cut < 0 && notRunCount == 0 && inputs.listedNotHanded().length == 0;
    }

    /**
     * @param signal a signal's number.
     * @return its name, such as {@code SIGINT}.
     */
    static String signalName(final int signal) {
        return signal == StopSignals.INT ? "SIGINT" : signal == StopSignals.TERM ? "SIGTERM" : "signal " + signal;
    }

    private String describe(final Throwable error) {
        final String text = error instanceof RemoteTaskException
            ? ((RemoteTaskException) error).remoteClassName() + (((RemoteTaskException) error).remoteMessage() == null
                ? "" : ": " + ((RemoteTaskException) error).remoteMessage())
            : error.getClass().getSimpleName() + ": " + error.getMessage();
        return LibraryTerms.inCliTerms(RunLimits.nameTheOption(text, maxInputBytes));
    }
}
