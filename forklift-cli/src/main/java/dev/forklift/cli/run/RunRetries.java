package dev.forklift.cli.run;

import dev.forklift.pool.Pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's "retry all failed" for a {@code forklift run} ({@code --dashboard --allow-actions}): what
 * {@code --retry-failed} does after a run, done within it. Each input that failed so far (read errors excepted: they
 * would fail again) is submitted to the run's pool once more, with the run's whole retry budget; the run's loop
 * takes the outcomes ({@link #poll}, then {@link #awaitNext} after its last input) and writes each retried success
 * as a result line. Keeps the newest {@link #MAX_KEPT} failed inputs at most ({@link #MAX_KEPT_CHARS} characters)
 * to retry; an input is retried once per request, and one that fails again can be retried by the next request.
 *
 * <p>Threads: {@link #failed} and the outcome reads run on the run's command thread; {@link #retryAll} on a
 * dashboard HTTP thread; the pool's threads complete the submits. Nothing here blocks but {@link #awaitNext}.
 */
final class RunRetries {
    /** Failed inputs kept for a retry at most (the oldest beyond it are not retried). */
    static final int MAX_KEPT = 10_000;
    /** Characters of failed inputs kept for a retry at most (the oldest beyond it are not retried). */
    static final long MAX_KEPT_CHARS = 32L << 20;

    /**
     * One failed input, as the run numbered and read it.
     *
     * @param record the record's number in the run.
     * @param input  the input.
     */
    record Failed(long record, String input) {
    }

    /**
     * The outcome of a retry.
     *
     * @param failed the input retried.
     * @param result the task's result, when it succeeded.
     * @param error  why it failed again, or null.
     */
    record Retried(Failed failed, Object result, Throwable error) {
    }

    private final Pool pool;
    private final LineTask task;
    private final Object lock = new Object();
    private final ArrayDeque<Failed> notRetried = new ArrayDeque<>();
    private final LinkedBlockingQueue<Retried> outcomes = new LinkedBlockingQueue<>();
    private long keptChars;
    private int inFlight;
    private boolean closed;

    /**
     * @param pool the run's pool.
     * @param task the run's task, as its inputs are run.
     */
    RunRetries(final Pool pool, final LineTask task) {
        this.pool = pool;
        this.task = task;
    }

    /** Keeps a failed input for a retry (command thread). */
    void failed(final long record, final String input) {
        synchronized (lock) {
            notRetried.addLast(new Failed(record, input));
            keptChars += input.length();
            while (notRetried.size() > MAX_KEPT || keptChars > MAX_KEPT_CHARS && notRetried.size() > 1) {
                keptChars -= notRetried.pollFirst().input().length();
            }
        }
    }

    /**
     * Submits every failed input kept, once (dashboard HTTP thread).
     *
     * @return what was done, for the viewer.
     * @throws IllegalStateException if the run has taken its last outcome (it is finishing).
     */
    String retryAll() {
        final List<Failed> batch;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the run is finishing: nothing more can be retried in it; use "
                    + "--failed FILE and then --retry-failed FILE");
            }
            batch = new ArrayList<>(notRetried);
            notRetried.clear();
            keptChars = 0;
            inFlight += batch.size();
        }
        for (final Failed one : batch) {
            try {
                pool.submit(task, one.input()).whenComplete((result, error) -> done(new Retried(one, result,
                    error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error)));
            } catch (final RuntimeException ex) {
                done(new Retried(one, null, ex)); // the pool stopped: the input stays failed
            }
        }
        return "retrying " + batch.size() + " failed input(s)";
    }

    private void done(final Retried retried) {
        outcomes.add(retried);
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    /** @return a retry's outcome that is ready, or null (command thread; never blocks). */
    Retried poll() {
        return outcomes.poll();
    }

    /**
     * After the run's last input: accepts no further request and waits for the retries still running.
     *
     * @return the next outcome, or null when every retry has its outcome.
     * @throws InterruptedException if interrupted while waiting.
     */
    Retried awaitNext() throws InterruptedException {
        synchronized (lock) {
            closed = true;
        }
        while (true) {
            final Retried ready = outcomes.poll();
            if (ready != null) {
                return ready;
            }
            synchronized (lock) {
                if (inFlight == 0 && outcomes.isEmpty()) {
                    return null;
                }
                if (outcomes.isEmpty()) {
                    lock.wait(TimeUnit.SECONDS.toMillis(1));
                }
            }
        }
    }
}
