package dev.forklift.pool.internal;

import dev.forklift.pool.FailedTask;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.UnfinishedTask;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.pool.WorkerUnresponsiveException;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.RemoteTaskException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The master: assigns tasks to workers, keeps each task's attempts, collects results, and handles every worker
 * fault. Internal; not API.
 *
 * <p>Threads: callers enqueue tasks; the <em>dispatcher</em> sends batches of tasks to workers with room (at most
 * {@value #MAX_FRAMES_PER_WORKER} frames in flight each); the <em>collector</em> reads result frames, fences them
 * by task id, attempt and worker, handles worker deaths ({@link DeathQueue}), task timeouts, silent workers and fat
 * ones ({@link WorkerRoster}); the <em>spawner</em> ({@link WorkerSpawner}) starts replacement workers, spaced by the
 * {@link RespawnLimiter}. Frames are filled by the {@link FramePlanner}; failed inputs are recorded in the
 * {@link FailedTaskRegistry}. All state is guarded by one lock; outcomes are delivered to sinks after the lock is
 * released.
 *
 * <p>Crash attribution ({@link CrashTriage}): when exactly one input may have been running, it is charged an
 * attempt; otherwise the suspects are re-sent as isolated single-input tasks without charge, so that the next
 * crash is attributed exactly. A worker's death is handled only after the result frames it sent before dying
 * were read.
 */
final class Master {
    static final int MAX_FRAMES_PER_WORKER = 2;
    static final int MAX_TASKS_PER_FRAME = 256;
    private static final int MAX_INITIALIZER_FAILURES = 3;
    private static final long STOP_GRACE_MS = 5_000;
    private static final int SIGKILL = 9;

    private final PoolConfig config;
    private final WorkerTransport transport;
    private final ElementCodec codec;
    private final RetryPolicy policy;
    private final long timeoutNs;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> pending = new ArrayDeque<>();
    private final Map<Long, Job> running = new HashMap<>();
    private final WorkerRoster workers;
    private final DeathQueue deaths = new DeathQueue();
    private final WorkerSpawner spawner;
    private final FailedTaskRegistry failures;

    private final AtomicLong nextJobId = new AtomicLong(1);
    private long nextFrameSeq;
    private boolean accepting = true;
    private boolean stopped;
    private RuntimeException broken;
    private int initializerFailures;
    private long workersStarted;
    private long crashes;
    private long timeouts;
    private long retries;
    private long lateDiscarded;
    private long tasksCompleted;
    private long heartbeatKills;
    private long memoryRecycles;
    private long failedTasks;

    private final Thread dispatcher;
    private final Thread collector;
    private final Thread shutdownHook;

    private Master(final PoolConfig config, final WorkerTransport transport, final ElementCodec codec,
        final byte[] initializer) {
        this.config = config;
        this.transport = transport;
        this.codec = codec;
        this.policy = config.retryPolicy();
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.taskTimeoutMs());
        this.workers = new WorkerRoster(config.heartbeatTimeoutMs(), config.maxRssBytes());
        this.failures = new FailedTaskRegistry(config.maxFailedTasks(), config.failedTaskRetention());
        this.dispatcher = new Thread(this::dispatchLoop, config.name() + "-dispatcher");
        this.collector = new Thread(this::collectLoop, config.name() + "-collector");
        this.spawner = new WorkerSpawner(config.name(), transport, initializer);
        this.shutdownHook = new Thread(workers::killAllNow, config.name() + "-shutdown");
    }

    static Master start(final PoolConfig config, final WorkerTransport transport, final ElementCodec codec,
        final byte[] initializer) {
        final Master master = new Master(config, transport, codec, initializer);
        final List<WorkerChannel> channels;
        final List<WorkerTransport.WorkerSpec> specs = master.spawner.specs(config.workers());
        try {
            channels = master.spawner.startNow(specs);
        } catch (final RuntimeException ex) {
            master.spawner.close();
            transport.close();
            throw ex;
        }
        master.lock.lock();
        try {
            master.adopt(specs, channels);
        } finally {
            master.lock.unlock();
        }
        master.dispatcher.setDaemon(true);
        master.collector.setDaemon(true);
        master.dispatcher.start();
        master.collector.start();
        Runtime.getRuntime().addShutdownHook(master.shutdownHook);
        return master;
    }

    /** @return true on the pool's collector thread (where futures complete). */
    boolean isPoolThread() {
        return Thread.currentThread() == collector;
    }

    long nextJobId() {
        return nextJobId.getAndIncrement();
    }

    void checkAccepting() {
        lock.lock();
        try {
            if (broken != null) {
                throw new RejectedExecutionException("pool '" + config.name() + "' is broken: " + broken.getMessage(),
                    broken);
            }
            if (!accepting) {
                throw new RejectedExecutionException("pool '" + config.name() + "' is closed");
            }
        } finally {
            lock.unlock();
        }
    }

    void enqueue(final Job job) {
        final List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            if (stopped) {
                job.failUndelivered(new CancellationException("pool '" + config.name() + "' was shut down"),
                    completions);
            } else if (broken != null) {
                job.failUndelivered(broken, completions);
            } else {
                job.isolated |= timeoutNs > 0;
                pending.addLast(job);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    // ---- dispatcher ------------------------------------------------------------------------------------------

    private void dispatchLoop() {
        final List<Job> batch = new ArrayList<>();
        final List<FunctionRef> definitions = new ArrayList<>();
        while (true) {
            WorkerState target;
            int[] attempts;
            boolean[] isolated;
            boolean finishAfter = false;
            batch.clear();
            definitions.clear();
            lock.lock();
            try {
                while (!stopped && (pending.isEmpty() || (target = workers.pick(MAX_FRAMES_PER_WORKER)) == null)) {
                    changed.await();
                }
                if (stopped) {
                    return;
                }
                target = workers.pick(MAX_FRAMES_PER_WORKER);
                FramePlanner.plan(pending, target, workers.countEligible(MAX_FRAMES_PER_WORKER), config, batch,
                    definitions);
                final long now = System.nanoTime();
                final long nowMs = System.currentTimeMillis();
                attempts = new int[batch.size()];
                isolated = new boolean[batch.size()];
                final long frameSeq = nextFrameSeq++;
                if (target.jobs.isEmpty()) {
                    target.headStartNs = now;
                }
                for (int i = 0; i < batch.size(); i++) {
                    final Job job = batch.get(i);
                    job.attempt++;
                    job.delivered = 0;
                    job.worker = target;
                    job.frameSeq = frameSeq;
                    job.lastInFrame = i == batch.size() - 1;
                    if (job.firstAttemptMs == 0) {
                        job.firstAttemptMs = nowMs;
                    }
                    job.lastAttemptMs = nowMs;
                    attempts[i] = job.attempt;
                    isolated[i] = job.isolated;
                    running.put(job.id, job);
                    target.jobs.addLast(job);
                }
                for (final FunctionRef function : definitions) {
                    target.functionsSent.set(function.id());
                }
                target.framesInFlight++;
                target.tasksAssigned += batch.size();
                target.sending = true;
                if (config.maxTasksPerWorker() > 0 && target.tasksAssigned >= config.maxTasksPerWorker()) {
                    target.retiring = true;
                    finishAfter = true;
                    scheduleSpawn();
                }
            } catch (final InterruptedException ex) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                target.channel.send(TaskFrames.encode(definitions, batch, attempts, isolated));
                if (finishAfter) {
                    target.channel.finish();
                }
            } catch (final InterruptedException ex) {
                return;
            }
            lock.lock();
            try {
                target.sending = false;
                if (target.finishAfterSend) {
                    target.finishAfterSend = false;
                    target.channel.finish();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- collector -------------------------------------------------------------------------------------------

    private void collectLoop() {
        final long pollMs = timeoutNs > 0 ? 5 : 20;
        while (true) {
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            final byte[] frame;
            try {
                frame = transport.pollResult(pollMs);
            } catch (final InterruptedException ex) {
                return;
            } catch (final RuntimeException ex) {
                // a torn or unreadable frame: skip it
                continue;
            }
            final List<Runnable> completions = new ArrayList<>();
            if (frame != null) {
                handleResults(frame, completions);
            }
            lock.lock();
            try {
                handleDeaths(frame == null, completions);
                if (timeoutNs > 0) {
                    checkTimeouts(completions);
                }
                killSilentWorkers();
            } finally {
                lock.unlock();
            }
            completions.forEach(Runnable::run);
            if (config.maxRssBytes() > 0) {
                checkResidentSets();
            }
        }
    }

    private void handleResults(final byte[] frame, final List<Runnable> completions) {
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
                    lateDiscarded += record.values().length;
                }
            } finally {
                lock.unlock();
            }
            return;
        }
        lock.lock();
        try {
            deaths.frameRead();
            for (final ResultFrames.Record record : records) {
                accept(from, record, completions);
            }
        } finally {
            lock.unlock();
        }
    }

    private void accept(final WorkerState from, final ResultFrames.Record record, final List<Runnable> completions) {
        final Job job = running.get(record.taskId());
        if (job == null || job.attempt != record.attempt() || job.worker != from
            || job.delivered != record.firstIndex()) {
            lateDiscarded += record.values().length;
            return;
        }
        final Object[] values = record.values();
        final Throwable[] errors = record.errors();
        if (isPlain(values, errors)) {
            final int first = job.delivered;
            if (errors != null) {
                for (int i = 0; i < errors.length; i++) {
                    if (errors[i] != null) {
                        recordFailure(job, first + i, job.charged + 1, errors[i], from, OptionalInt.empty(),
                            OptionalInt.empty(), completions);
                    }
                }
            }
            job.delivered += values.length;
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
                final Job again = job.retryOne(nextJobId(), index);
                retries++;
                if (retried == null) {
                    retried = new ArrayList<>();
                }
                retried.add(again);
                continue;
            }
            final Object value = values[i];
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
            worker.headStartNs = System.nanoTime();
            workers.taskFinished(worker);
        }
        tasksCompleted++;
        changed.signalAll();
    }

    // ---- deaths ----------------------------------------------------------------------------------------------

    private void onExit(final WorkerState worker, final ExitStatus status) {
        lock.lock();
        try {
            worker.exited = true;
            worker.exitStatus = status;
            deaths.exited(worker, transport.pendingResults());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void handleDeaths(final boolean drained, final List<Runnable> completions) {
        for (final WorkerState worker : deaths.ready(drained)) {
            handleDeath(worker, completions);
        }
    }

    private void handleDeath(final WorkerState worker, final List<Runnable> completions) {
        workers.remove(worker);
        worker.channel.release();
        final List<Job> unfinished = new ArrayList<>(worker.jobs);
        worker.jobs.clear();
        worker.framesInFlight = 0;
        for (final Job job : unfinished) {
            running.remove(job.id);
        }
        if (stopped) {
            return;
        }
        final ExitStatus status = worker.exitStatus;
        final boolean clean = worker.retiring && status.isSuccess() && unfinished.isEmpty();
        if (!clean && !worker.killedByPool) {
            crashes++;
            spawner.crashed();
            if (status.failure().isPresent()
                && InitializerFailedException.class.getName().equals(status.failure().get().remoteClassName())) {
                if (++initializerFailures >= MAX_INITIALIZER_FAILURES) {
                    breakPool(status.failure().get(), unfinished, completions);
                    return;
                }
            }
        }
        final List<Job> requeue = new ArrayList<>();
        int from = 0;
        if (!unfinished.isEmpty() && !worker.killedByPool && !clean) {
            final Job first = unfinished.get(0);
            final int end = CrashTriage.suspects(unfinished);
            if (CrashTriage.isExact(unfinished, end)) {
                charge(first, worker, status, requeue, completions);
            } else {
                for (int i = 0; i < end; i++) {
                    requeue.addAll(unfinished.get(i).splitRemaining(this::nextJobId));
                }
            }
            from = end;
        }
        for (int i = from; i < unfinished.size(); i++) {
            final Job job = unfinished.get(i);
            requeue.addAll(job.delivered > 0 ? job.splitRemaining(this::nextJobId) : List.of(job));
        }
        for (int i = requeue.size() - 1; i >= 0; i--) {
            final Job job = requeue.get(i);
            job.worker = null;
            pending.addFirst(job);
        }
        scheduleSpawn();
        changed.signalAll();
    }

    /** The one input a dead worker was running: retry it, or fail it, per the policy. */
    private void charge(final Job job, final WorkerState worker, final ExitStatus status, final List<Job> requeue,
        final List<Runnable> completions) {
        job.charged++;
        if (policy.retriesCrashes() && job.charged < policy.maxAttempts()) {
            retries++;
            job.isolated = true;
            requeue.addAll(job.delivered > 0 ? job.splitRemaining(this::nextJobId) : List.of(job));
            return;
        }
        final int index = job.delivered;
        final int signal = status.signal().orElse(-1);
        final WorkerCrashedException crash = new WorkerCrashedException(worker.channel.name(), worker.channel.pid(),
            status.exitCode(), signal, job.charged, job.inputs[index], worker.unresponsive);
        job.failUndelivered(crash, completions, failed -> recordFailure(job, failed, job.charged, crash, worker,
            OptionalInt.of(status.exitCode()), status.signal(), completions));
    }

    private void breakPool(final RuntimeException cause, final List<Job> unfinished,
        final List<Runnable> completions) {
        broken = cause;
        for (final Job job : unfinished) {
            job.failUndelivered(cause, completions);
        }
        while (!pending.isEmpty()) {
            pending.pollFirst().failUndelivered(cause, completions);
        }
        changed.signalAll();
    }

    // ---- timeouts --------------------------------------------------------------------------------------------

    private void checkTimeouts(final List<Runnable> completions) {
        final long now = System.nanoTime();
        for (final WorkerState worker : workers.all()) {
            final Job job = worker.jobs.peekFirst();
            if (job == null || worker.exited || worker.killedByPool) {
                continue;
            }
            if (now - worker.headStartNs > timeoutNs * Math.max(1, job.undelivered())) {
                worker.killedByPool = true;
                timeouts++;
                worker.jobs.pollFirst();
                running.remove(job.id);
                job.charged++;
                if (policy.retriesTimeouts() && job.charged < policy.maxAttempts()) {
                    retries++;
                    job.worker = null;
                    pending.addFirst(job);
                } else {
                    final TaskTimeoutException timeout = new TaskTimeoutException(worker.channel.name(),
                        worker.channel.pid(), config.taskTimeoutMs(), job.charged, job.inputs[job.delivered]);
                    job.failUndelivered(timeout, completions, failed -> recordFailure(job, failed, job.charged,
                        timeout, worker, OptionalInt.empty(), OptionalInt.of(SIGKILL), completions));
                    tasksCompleted++;
                }
                worker.channel.killNow();
                changed.signalAll();
            }
        }
    }

    // ---- heartbeats and resident sets ----------------------------------------------------------------------

    /** Kills every running worker whose heartbeat is stale; its death is then handled as a crash. */
    private void killSilentWorkers() {
        for (final WorkerRoster.Silent silent : workers.findSilent(System.nanoTime())) {
            final WorkerState worker = silent.worker();
            worker.unresponsive = new WorkerUnresponsiveException(worker.channel.name(), worker.channel.pid(),
                silent.silentMs(), config.heartbeatTimeoutMs());
            heartbeatKills++;
            worker.channel.killNow();
            changed.signalAll();
        }
    }

    /** Reads the resident set of each worker that finished a task (outside the lock) and recycles the fat ones. */
    private void checkResidentSets() {
        final List<WorkerState> due;
        lock.lock();
        try {
            due = workers.takeRssDue();
        } finally {
            lock.unlock();
        }
        for (final WorkerState worker : due) {
            if (workers.overRssLimit(worker)) {
                lock.lock();
                try {
                    recycle(worker);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Sends the worker no more tasks; it finishes those it has and exits, and a fresh worker takes its place. */
    private void recycle(final WorkerState worker) {
        if (stopped || worker.exited || worker.retiring || worker.killedByPool || worker.unresponsive != null) {
            return;
        }
        worker.retiring = true;
        memoryRecycles++;
        if (worker.sending) {
            worker.finishAfterSend = true;
        } else {
            worker.channel.finish();
        }
        scheduleSpawn();
        changed.signalAll();
    }

    /** Counts a failed input and, when records are kept, records it before its failure is delivered. */
    private void recordFailure(final Job job, final int index, final int attempts, final Throwable error,
        final WorkerState worker, final OptionalInt exitCode, final OptionalInt signal,
        final List<Runnable> completions) {
        failedTasks++;
        if (failures.enabled()) {
            completions.add(() -> failures.add(FailedTaskRegistry.record(job, index, attempts, error, worker,
                exitCode, signal)));
        }
    }

    // ---- spawning --------------------------------------------------------------------------------------------

    private void scheduleSpawn() {
        if (stopped || broken != null) {
            return;
        }
        final int needed = config.workers() - spawner.starting() - workers.countActive();
        if (needed <= 0) {
            return;
        }
        spawner.spawnLater(needed, this::spawned);
    }

    /** A scheduled start ended (spawner thread): adopt the new workers, or count the failure and try again. */
    private void spawned(final List<WorkerTransport.WorkerSpec> specs, final List<WorkerChannel> channels,
        final RuntimeException failure) {
        final List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            spawner.done(specs.size());
            if (channels != null && stopped) {
                channels.forEach(WorkerChannel::killNow);
                channels.forEach(WorkerChannel::release);
                return;
            }
            if (channels != null) {
                adopt(specs, channels);
            } else {
                crashes++;
                spawner.crashed();
                if (workers.isEmpty() && spawner.atMaxDelay()) {
                    breakPool(failure, List.of(), completions);
                } else {
                    scheduleSpawn();
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    private void adopt(final List<WorkerTransport.WorkerSpec> specs, final List<WorkerChannel> channels) {
        for (final WorkerState worker : workers.adopt(specs, channels)) {
            workersStarted++;
            worker.channel.onExit().thenAccept(status -> onExit(worker, status));
        }
    }

    // ---- queries and lifecycle -------------------------------------------------------------------------------

    List<Long> workerPids() {
        lock.lock();
        try {
            return workers.livePids();
        } finally {
            lock.unlock();
        }
    }

    PoolStats stats() {
        lock.lock();
        try {
            return new PoolStats(workers.livePids().size(), workersStarted, crashes, timeouts, retries,
                lateDiscarded, tasksCompleted, pending.size(), running.size(), spawner.delayMs(), heartbeatKills, memoryRecycles, failedTasks);
        } finally {
            lock.unlock();
        }
    }

    List<FailedTask> failedTasks() {
        return failures.snapshot();
    }

    void close() {
        boolean drained;
        lock.lock();
        try {
            if (!accepting && stopped) {
                return;
            }
            accepting = false;
            long remaining = config.closeTimeout().toNanos();
            while (!stopped && broken == null && (!pending.isEmpty() || !running.isEmpty()) && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            drained = pending.isEmpty() && running.isEmpty();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            drained = false;
        } finally {
            lock.unlock();
        }
        if (!drained) {
            shutdownNow(Duration.ofMillis(STOP_GRACE_MS));
            return;
        }
        final List<WorkerState> toStop = stopThreads();
        if (toStop == null) {
            return;
        }
        toStop.forEach(worker -> worker.channel.finish());
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
        for (final WorkerState worker : toStop) {
            try {
                worker.channel.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (final Exception ex) {
                worker.channel.killNow();
            }
        }
        release(toStop);
    }

    List<UnfinishedTask> shutdownNow(final Duration timeout) {
        final List<UnfinishedTask> unfinished = new ArrayList<>();
        final List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            if (stopped) {
                return unfinished;
            }
            accepting = false;
            final CancellationException cancelled = new CancellationException("pool '" + config.name()
                + "' was shut down before this input finished");
            final List<Job> jobs = new ArrayList<>(pending);
            for (final WorkerState worker : workers.all()) {
                jobs.addAll(worker.jobs);
            }
            for (final Job job : jobs) {
                for (int i = job.delivered; i < job.count; i++) {
                    unfinished.add(new UnfinishedTask(job.id, job.inputs[i]));
                }
                job.failUndelivered(cancelled, completions);
            }
            pending.clear();
            running.clear();
        } finally {
            lock.unlock();
        }
        final List<WorkerState> toStop = stopThreads();
        completions.forEach(Runnable::run);
        if (toStop != null) {
            toStop.forEach(worker -> worker.channel.killNow());
            final long deadline = System.nanoTime() + timeout.toNanos();
            for (final WorkerState worker : toStop) {
                try {
                    worker.channel.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (final Exception ex) {
                    // gone within the timeout or not: we do not wait longer
                }
            }
            release(toStop);
        }
        return unfinished;
    }

    /** Marks the pool stopped, stops its threads; returns the workers to stop, or null if already stopped. */
    private List<WorkerState> stopThreads() {
        final List<WorkerState> toStop;
        lock.lock();
        try {
            if (stopped) {
                return null;
            }
            stopped = true;
            accepting = false;
            toStop = new ArrayList<>(workers.all());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        spawner.close();
        dispatcher.interrupt();
        join(dispatcher);
        join(collector);
        return toStop;
    }

    private void release(final List<WorkerState> stoppedWorkers) {
        stoppedWorkers.forEach(worker -> worker.channel.release());
        transport.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException ex) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private static void join(final Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(2_000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
