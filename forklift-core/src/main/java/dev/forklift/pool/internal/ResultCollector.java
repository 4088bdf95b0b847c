package dev.forklift.pool.internal;

import dev.forklift.pool.RetryPolicy;
import dev.forklift.process.RemoteTaskException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Result collection and fencing for the {@link Master}: decodes a result frame, drops records that are not for
 * the current attempt of a running task on the worker that sent them (counted as late), delivers the others,
 * retries the inputs whose exception the {@link RetryPolicy} retries, and finishes tasks whose inputs all have an
 * outcome. Internal; not API.
 *
 * <p>Threads and lock: {@link #handleResults} is called only by the master's <em>collector</em> thread, without
 * the master's lock; it decodes the frame without the lock, then takes the lock (the master's one
 * {@link ReentrantLock}, shared here) for the bookkeeping. {@link #recordFailure} is called with that lock held,
 * by this class and by the collector's fault handling. The lock guards everything this class touches: the pending
 * queue, the running map, the roster, the spawner's counters, the jobs and the counters. Nothing
 * here blocks but on the lock; deliveries to sinks (and failure records) are queued on the caller's
 * {@code completions}, which the caller runs after releasing the lock.
 */
final class ResultCollector {
    private final ReentrantLock lock;
    private final Condition changed;
    private final ArrayDeque<Job> pending;
    private final Map<Long, Job> running;
    private final WorkerRoster workers;
    private final WorkerSpawner spawner;
    private final ElementCodec codec;
    private final RetryPolicy policy;
    private final FailedTaskRegistry failures;
    private final PoolCounters counters;
    private final AtomicLong jobIds;
    /** When the frame being handled arrived ({@link System#nanoTime()}); the collector thread's only. */
    private long frameArrivalNs;

    /** Takes the master's lock, its condition and the state they guard; see the class comment. */
    ResultCollector(final ReentrantLock lock, final Condition changed, final ArrayDeque<Job> pending,
        final Map<Long, Job> running, final WorkerRoster workers, final WorkerSpawner spawner,
        final ElementCodec codec, final RetryPolicy policy, final FailedTaskRegistry failures,
        final PoolCounters counters, final AtomicLong jobIds) {
        this.lock = lock;
        this.changed = changed;
        this.pending = pending;
        this.running = running;
        this.workers = workers;
        this.spawner = spawner;
        this.codec = codec;
        this.policy = policy;
        this.failures = failures;
        this.counters = counters;
        this.jobIds = jobIds;
    }

    /**
     * Handles one result frame (collector thread, lock not held; takes it).
     *
     * @param frame       the frame as read from the transport.
     * @param completions where deliveries are queued, to run after the lock is released.
     */
    void handleResults(final byte[] frame, final List<Runnable> completions) {
        final WorkerState from = workers.byId(ResultFrames.workerId(frame));
        final List<ResultFrames.Record> records;
        try {
            records = ResultFrames.decode(frame, codec, from == null ? "gone" : from.channel.name(),
                from == null ? -1 : from.channel.pid());
        } catch (final RuntimeException ex) {
            return;
        }
        if (from == null) {
            // From a worker whose death was already handled: every attempt in it was given up on.
            lock.lock();
            try {
                for (final ResultFrames.Record record : records) {
                    counters.lateDiscarded += record.values().length;
                }
            } finally {
                lock.unlock();
            }
            return;
        }
        // One clock read per frame, before the lock: every task the frame finishes ended on its arrival.
        frameArrivalNs = System.nanoTime();
        lock.lock();
        try {
            for (final ResultFrames.Record record : records) {
                accept(from, record, completions);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: fences one record by task id, attempt, worker and position, then delivers or retries. */
    private void accept(final WorkerState from, final ResultFrames.Record record, final List<Runnable> completions) {
        final Job job = running.get(record.taskId());
        if (job == null || job.attempt != record.attempt() || job.worker != from
            || job.delivered != record.firstIndex()) {
            counters.lateDiscarded += record.values().length;
            return;
        }
        final Object[] values = record.values();
        final Throwable[] errors = record.errors();
        if (isPlain(values, errors)) {
            final int first = job.delivered;
            if (errors != null) {
                for (int i = 0; i < errors.length; i++) {
                    if (errors[i] != null) {
                        counters.succeeded--;
                        recordFailure(job, first + i, job.charged + 1, errors[i], from, OptionalInt.empty(),
                            OptionalInt.empty(), completions);
                    }
                }
            }
            job.delivered += values.length;
            counters.succeeded += values.length;
            completions.add(() -> job.sink.deliverAll(first, values, errors));
            if (job.delivered >= job.count) {
                finish(job);
                spawner.succeeded();
            }
            return;
        }
        List<Job> retried = null;
        for (int i = 0; i < values.length; i++) {
            final int index = job.delivered++;
            final Throwable error = errors == null ? null : errors[i];
            if (values[i] == ElementCodec.SKIP) {
                continue;
            }
            if (error instanceof RemoteTaskException && job.charged + 1 < policy.maxAttempts()
                && policy.retriesException((RemoteTaskException) error)) {
                final Job again = job.retryOne(jobIds.getAndIncrement(), index);
                counters.retries++;
                counters.retriedException++;
                if (retried == null) {
                    retried = new ArrayList<>();
                }
                retried.add(again);
                continue;
            }
            final Object value = values[i];
            if (error == null) {
                counters.succeeded++;
            }
            if (error != null) {
                recordFailure(job, index, job.charged + 1, error, from, OptionalInt.empty(), OptionalInt.empty(),
                    completions);
            }
            completions.add(() -> job.sink.deliver(index, value, error));
        }
        completions.add(job.sink::flush);
        if (retried != null) {
            for (int i = retried.size() - 1; i >= 0; i--) {
                pending.addFirst(retried.get(i));
            }
            changed.signalAll();
        }
        if (job.delivered >= job.count) {
            finish(job);
            spawner.succeeded();
        }
    }

    /** True when no outcome is a skip or an exception the policy may retry: deliver them all at once. */
    private boolean isPlain(final Object[] values, final Throwable[] errors) {
        for (final Object value : values) {
            if (value == ElementCodec.SKIP) {
                return false;
            }
        }
        if (errors != null && policy.maxAttempts() > 1) {
            for (final Throwable error : errors) {
                if (error instanceof RemoteTaskException) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Lock held: every input of the task has an outcome; free its worker's slot. */
    private void finish(final Job job) {
        running.remove(job.id);
        final WorkerState worker = job.worker;
        if (worker != null) {
            if (worker.jobs.peekFirst() == job) {
                worker.jobs.pollFirst();
            } else {
                worker.jobs.remove(job);
            }
            if (job.lastInFrame) {
                worker.framesInFlight--;
            }
            workers.taskFinished(worker);
        }
        counters.tasksCompleted++;
        counters.attemptEnded(job, "completed", worker == null ? -1 : worker.channel.pid(), frameArrivalNs);
        changed.signalAll();
    }

    /**
     * Lock held: counts a failed input and, when records are kept, queues its record on {@code completions}, ahead
     * of its failure's delivery.
     */
    void recordFailure(final Job job, final int index, final int attempts, final Throwable error,
        final WorkerState worker, final OptionalInt exitCode, final OptionalInt signal,
        final List<Runnable> completions) {
        counters.failed(error);
        if (failures.enabled()) {
            completions.add(() -> failures.add(FailedTaskRegistry.record(job, index, attempts, error, worker,
                exitCode, signal)));
        }
    }
}
