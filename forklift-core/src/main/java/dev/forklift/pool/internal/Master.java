package dev.forklift.pool.internal;

import dev.forklift.ForkliftException;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.PoolInspector;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.UnfinishedTask;
import dev.forklift.process.ChildStartException;
import dev.forklift.process.internal.CounterBoard;
import dev.forklift.process.internal.DaemonThreads;
import dev.forklift.process.internal.StartupTrace;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The master: assigns tasks to workers, keeps each task's attempts, collects results, and handles every worker
 * fault. Internal; not API.
 *
 * <p>Threads: callers enqueue tasks; the <em>dispatcher</em> ({@link Dispatcher}) sends batches of tasks to workers
 * with room (at most {@value #MAX_FRAMES_PER_WORKER} frames in flight each), and fails a frame's tasks, never
 * itself, on any error; the <em>collector</em> reads result frames, which the
 * {@link ResultCollector} fences by task id, attempt and worker and delivers, hands worker deaths to the
 * {@link DeathHandler} ({@link DeathQueue}, {@link CrashTriage}), and has the {@link WorkerHealth} check task
 * timeouts, silent workers and fat ones ({@link WorkerRoster}); the <em>spawner</em> ({@link WorkerSpawner}) starts
 * replacement workers, spaced by the {@link RespawnLimiter}. Frames are filled by the {@link FramePlanner}; failed
 * inputs are recorded in the {@link FailedTaskRegistry}; totals are kept in the {@link PoolCounters}. All state,
 * here and in those helpers, is guarded by one lock, created here and shared with them; outcomes are delivered to
 * sinks after the lock is released.
 *
 * <p>Crash attribution ({@link CrashTriage}): when exactly one input may have been running, it is charged an
 * attempt; otherwise the suspects are re-sent as isolated single-input tasks without charge, so that the next
 * crash is attributed exactly. A worker's death is handled only after the master has read past every result
 * frame it sent or was sending before dying (a torn slot ahead of them included), never merely when a poll
 * finds nothing.
 */
final class Master {
    static final int MAX_FRAMES_PER_WORKER = 2;
    static final int MAX_TASKS_PER_FRAME = 256;
    private static final long STOP_GRACE_MS = 5_000;
    /** The longest a stop waits for the dispatcher's and collector's ends. */
    private static final long JOIN_MS = 2_000;
    /** How long an idle collector waits between health checks, unless work, a stop or a death wakes it. */
    private static final long IDLE_CHECK_MS = 100;

    private final PoolConfig config;
    private final WorkerTransport transport;
    private final long timeoutNs;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> pending = new ArrayDeque<>();
    private final Map<Long, Job> running = new HashMap<>();
    private final WorkerRoster workers;
    private final DeathQueue deaths = new DeathQueue();
    private final WorkerSpawner spawner;
    private final FailedTaskRegistry failures;
    private final PoolCounters counters;
    private CounterBoard.Section counterSection;
    private AutoCloseable counterFlush;
    /** Lock held: the pool released its counters; a publication still under way frees its section. */
    private boolean countersReleased;
    private final ResultCollector results;
    private final WorkerHealth health;
    private final DeathHandler deathHandler;

    private final AtomicLong nextJobId = new AtomicLong(1);
    /** Deliveries queued by the dispatcher, run by the collector (where futures complete). */
    private final ConcurrentLinkedQueue<Runnable> deferred = new ConcurrentLinkedQueue<>();
    private boolean accepting = true;
    private boolean stopped;
    private RuntimeException broken;

    private final Runnable dispatcher;
    /** The dispatcher's and collector's runs, once started: threads kept by {@link DaemonThreads}. */
    private volatile DaemonThreads.Body dispatching;
    private volatile DaemonThreads.Body collecting;
    /** The workers run the user's initializer after their start: then none is killed at close. */
    private final boolean hasInitializer;
    private final Thread shutdownHook;
    /**
     * The first workers still starting after {@code start} returned (it returns once one is ready): each start with
     * the future that completes once its outcome was handled. Lock-free (the shutdown hook cancels them).
     */
    private final ConcurrentLinkedQueue<InitialStart> initialStarts = new ConcurrentLinkedQueue<>();

    /** A first worker's start, and its outcome handled (adopted, or counted as a failed start). */
    private record InitialStart(CompletableFuture<WorkerChannel> start, CompletableFuture<Void> handled) {
    }

    private Master(final PoolConfig config, final WorkerTransport transport, final ElementCodec codec,
        final byte[] initializer) {
        this.config = config;
        this.transport = transport;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.taskTimeoutMs());
        this.counters = new PoolCounters(config.name());
        this.workers = new WorkerRoster(config.heartbeatTimeoutMs(), config.maxRssBytes());
        this.failures = new FailedTaskRegistry(config.maxFailedTasks(), config.failedTaskRetention());
        this.spawner = new WorkerSpawner(config.name(), transport, initializer);
        this.hasInitializer = initializer != null;
        this.results = new ResultCollector(lock, changed, pending, running, workers, spawner, codec,
            config.retryPolicy(), failures, counters, nextJobId);
        this.health = new WorkerHealth(lock, changed, pending, running, workers, config, counters, results,
            () -> stopped, this::scheduleSpawn);
        this.deathHandler = new DeathHandler(lock, changed, pending, running, workers, deaths, spawner, transport,
            config.retryPolicy(), counters, results, this::nextJobId, () -> stopped, this::scheduleSpawn,
            this::breakPool);
        this.dispatcher = new Dispatcher(lock, changed, pending, running, workers, config, counters,
            results, () -> stopped, this::scheduleSpawn, this::breakPool, deferred::addAll);
        this.shutdownHook = new Thread(() -> {
            cancelInitialStarts();
            workers.killAllNow();
        }, config.name() + "-shutdown");
    }

    static Master start(final PoolConfig config, final WorkerTransport transport, final ElementCodec codec,
        final byte[] initializer) {
        final Master master = new Master(config, transport, codec, initializer);
        final List<WorkerTransport.WorkerSpec> specs = master.spawner.specs(config.workers());
        final List<CompletableFuture<WorkerChannel>> starts;
        try {
            starts = master.spawner.startEachNow(specs, StaggeredStart.bootLimit(specs.size(), config.warmWorkers()));
            // The pool's threads start once the workers are launched, while they start (the threads wait for work
            // and workers): started after the first ready, they put two thread starts, 2-3 ms on two busy cores,
            // between that ready and the first task; started before the launch, they delayed it.
            master.dispatching = DaemonThreads.start(config.name() + "-dispatcher", master.dispatcher);
            master.collecting = DaemonThreads.start(config.name() + "-collector", master::collectLoop);
            StartupTrace.stamp("pool threads started");
            awaitFirstReady(starts);
            StartupTrace.stamp("pool first worker ready");
        } catch (final RuntimeException ex) {
            master.stopThreads();
            transport.close();
            throw ex;
        }
        // The workers ready are adopted here, at once; the others when they are (tasks go to the first meanwhile).
        for (int i = 0; i < starts.size(); i++) {
            final WorkerTransport.WorkerSpec spec = specs.get(i);
            final CompletableFuture<WorkerChannel> start = starts.get(i);
            final CompletableFuture<Void> handled = start.handle((channel, failure) -> {
                master.spawned(List.of(spec), channel == null ? null : List.of(channel), failure == null ? null
                    : startFailure(failure));
                return null;
            });
            master.initialStarts.add(new InitialStart(start, handled));
        }
        StartupTrace.stamp("pool ready workers adopted");
        Runtime.getRuntime().addShutdownHook(master.shutdownHook);
        master.publishCountersInBackground();
        StartupTrace.stamp("pool started");
        return master;
    }

    /**
     * Waits until one of the first workers is ready, or one fails to start first: then every start is cancelled
     * (its worker killed, as are workers that became ready meanwhile) and that failure is thrown, so that a pool
     * whose workers cannot start fails its build as before, with no worker left running.
     */
    private static void awaitFirstReady(final List<CompletableFuture<WorkerChannel>> starts) {
        Throwable failure;
        try {
            CompletableFuture.anyOf(starts.toArray(new CompletableFuture<?>[0])).get();
            return;
        } catch (final ExecutionException ex) {
            failure = ex.getCause();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            failure = new ChildStartException("interrupted while starting the pool's workers", ex);
        }
        for (final CompletableFuture<WorkerChannel> start : starts) {
            if (!start.cancel(true) && !start.isCompletedExceptionally()) {
                final WorkerChannel channel = start.join();
                channel.killNow();
                try {
                    channel.onExit().get(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } catch (final ExecutionException | TimeoutException ex) {
                    // Killed; the pool is not started, nothing more to wait for.
                }
                channel.release();
            }
        }
        throw startFailure(failure);
    }

    private static RuntimeException startFailure(final Throwable failure) {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        return cause instanceof RuntimeException ? (RuntimeException) cause
            : new ChildStartException("a worker could not start: " + cause, cause);
    }

    /** Cancels the first workers' starts still under way (their JVMs are killed). Lock-free; never blocks long. */
    private void cancelInitialStarts() {
        for (final InitialStart start : initialStarts) {
            start.start().cancel(true);
        }
    }

    /** Waits until the outcome of every first worker's start was handled (each bounded by its start timeout). */
    private void awaitInitialStarts() {
        for (final InitialStart start : initialStarts) {
            try {
                start.handled().get();
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            } catch (final ExecutionException ex) {
                // Handled: a failed start is counted where it is handled.
            }
        }
    }

    /** @return true on the pool's collector thread (where futures complete). */
    boolean isPoolThread() {
        return collecting != null && collecting.isCurrentThread();
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
                counters.submitted += job.count;
                pending.addLast(job);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    // ---- cancellation and closing without waiting (issue 13) ------------------------------------------------

    /**
     * A task's future was cancelled: a task not yet sent is dropped; with {@code stopRunning}, a task sent to a
     * worker is stopped by killing that worker, which is replaced (its other tasks go back to the queue uncharged,
     * as after a task timeout). Any thread; the outcome was already delivered by the cancel.
     */
    void cancel(final long jobId, final boolean stopRunning) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            for (final java.util.Iterator<Job> it = pending.iterator(); it.hasNext(); ) {
                final Job job = it.next();
                if (job.id == jobId) {
                    it.remove();
                    job.delivered = job.count;
                    changed.signalAll();
                    return;
                }
            }
            final Job job = running.get(jobId);
            if (job == null || job.worker == null) {
                return;
            }
            job.cancelled = true;
            if (!stopRunning) {
                return; // sent: it runs, its result is dropped, and it is never sent again
            }
            final WorkerState worker = job.worker;
            if (worker.exited || worker.killedByPool) {
                return;
            }
            worker.killedByPool = true;
            worker.jobs.remove(job);
            running.remove(job.id);
            job.delivered = job.count;
            worker.channel.killNow();
            scheduleSpawn();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new tasks from now on; what was accepted goes on. Idempotent. */
    void stopAccepting() {
        lock.lock();
        try {
            accepting = false;
        } finally {
            lock.unlock();
        }
    }

    /** @return true while the pool accepts tasks. */
    boolean isAccepting() {
        lock.lock();
        try {
            return accepting && broken == null;
        } finally {
            lock.unlock();
        }
    }

    /** @return true once the pool has stopped its threads and workers. */
    boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    // ---- collector -------------------------------------------------------------------------------------------

    private void collectLoop() {
        try {
            collect();
        } catch (final RuntimeException | Error thrown) {
            collectorFailed(thrown);
        }
    }

    /**
     * The collector thread met a fault of its own (not a task's: those come back as results): without it no result
     * is read, so the pool breaks with that cause, and every waiting caller gets it instead of waiting for ever.
     */
    private void collectorFailed(final Throwable thrown) {
        final List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            final List<Job> unfinished = new ArrayList<>(running.values());
            running.clear();
            breakPool(new ForkliftException("the pool's collector failed: " + thrown, thrown), unfinished,
                completions);
        } finally {
            lock.unlock();
        }
        for (final Runnable completion : completions) {
            try {
                completion.run();
            } catch (final RuntimeException | Error again) {
                // the next delivery still runs: one broken sink must not keep the others waiting
            }
        }
    }

    private void collect() {
        final long pollMs = timeoutNs > 0 ? 5 : 20;
        while (true) {
            final boolean idle;
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                idle = pending.isEmpty() && running.isEmpty();
                if (idle) {
                    // Nothing is in flight, so no result is awaited: wait for work, a stop, a death (each
                    // signals) or the next health check, then only look at the queue (a late frame of an attempt given up on is still read,
                    // so that a death waiting for it is handled). A waiting poll starts a fresh wait each time
                    // (spins, yields, short parks): 50 of them a second kept an idle pool's collector at 3-4 % of
                    // a core.
                    changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_CHECK_MS));
                }
            } catch (final InterruptedException ex) {
                return;
            } finally {
                lock.unlock();
            }
            final byte[] frame;
            try {
                frame = transport.pollResult(idle ? 0 : pollMs);
            } catch (final InterruptedException ex) {
                return;
            } catch (final RuntimeException ex) {
                // a torn or unreadable frame: skip it
                continue;
            }
            final List<Runnable> completions = new ArrayList<>();
            if (frame != null) {
                results.handleResults(frame, completions);
            }
            lock.lock();
            try {
                deathHandler.handleDeaths(completions);
                if (timeoutNs > 0) {
                    health.checkTimeouts(completions);
                }
                health.killSilentWorkers();
            } finally {
                lock.unlock();
            }
            completions.forEach(Runnable::run);
            runDeferred();
            if (config.maxRssBytes() > 0) {
                health.checkResidentSets();
            }
        }
    }

    /** Runs the deliveries the dispatcher queued (collector thread, or the stopping thread once it is gone). */
    private void runDeferred() {
        for (Runnable completion = deferred.poll(); completion != null; completion = deferred.poll()) {
            completion.run();
        }
    }

    // ---- breaking and spawning -------------------------------------------------------------------------------

    /** Lock held: fails every unfinished and pending task with the cause; the pool accepts no more. */
    private void breakPool(final RuntimeException cause, final List<Job> unfinished,
        final List<Runnable> completions) {
        if (broken == null) {
            PoolLog.broken(config.name(), cause);
        }
        broken = cause;
        for (final Job job : unfinished) {
            job.failUndelivered(cause, completions);
        }
        while (!pending.isEmpty()) {
            pending.pollFirst().failUndelivered(cause, completions);
        }
        changed.signalAll();
    }

    /** Lock held: asks the spawner for the workers the pool is short of, unless stopped or broken. */
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
            if (channels == null && stopped) {
                return; // cancelled by the stop, or failed while the pool stopped: not a crash
            }
            if (channels != null) {
                adopt(specs, channels);
            } else {
                counters.crashes++;
                spawner.crashed();
                PoolLog.startFailed(config.name(), specs.size(), failure, spawner.delayMs());
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
            counters.workersStarted++;
            PoolEvents.workerStarted(config.name(), worker.channel.name(), worker.channel.pid());
            PoolLog.workerStarted(worker.channel);
            worker.channel.onExit().thenAccept(status -> deathHandler.onExit(worker, status));
        }
    }

    // ---- queries and lifecycle -------------------------------------------------------------------------------

    /** Waits first for the first workers still starting (see {@link #start}), so that every pid is there. */
    List<Long> workerPids() {
        awaitInitialStarts();
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
            return counters.snapshot(workers.livePids().size(), pending.size(), running.size(), spawner.delayMs());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes the pool's counters in this process's counter board, flushed every 250 ms (a copy under the lock;
     * the hot paths keep plain fields), from a short-lived daemon thread: the board's file, the section and the
     * flusher's executor (class loading and a thread start) stay off the pool's start path. Readers see the pool
     * a few ms after {@code build()} returns; a pool closed before then is never shown. A full board leaves the
     * pool without a section, never fails it.
     */
    private void publishCountersInBackground() {
        DaemonThreads.start(config.name() + "-counters", this::publishCounters);
    }

    private void publishCounters() {
        final CounterBoard.Section section;
        final AutoCloseable flush;
        try {
            section = CounterBoard.current().publish("pool", config.name(), PoolInspector.COUNTERS);
        } catch (final RuntimeException ex) {
            return;
        }
        final boolean kept;
        lock.lock();
        try {
            kept = !countersReleased;
            if (kept) {
                counterSection = section;
            }
        } finally {
            lock.unlock();
        }
        if (!kept) {
            section.close(); // the pool was closed meanwhile
            return;
        }
        flush = CounterBoard.everyFlush(this::flushCounters);
        lock.lock();
        try {
            if (!countersReleased) {
                counterFlush = flush;
                return;
            }
        } finally {
            lock.unlock();
        }
        closeQuietly(flush);
        lock.lock();
        try {
            section.close();
            counterSection = null;
        } finally {
            lock.unlock();
        }
    }

    private void flushCounters() {
        lock.lock();
        try {
            if (counterSection != null) {
                counters.flush(counterSection, workers.livePids().size(), pending.size(), running.size(),
                    spawner.delayMs());
            }
        } finally {
            lock.unlock();
        }
    }

    private void unpublishCounters() {
        final AutoCloseable flush;
        lock.lock();
        try {
            countersReleased = true;
            flush = counterFlush;
            counterFlush = null;
        } finally {
            lock.unlock();
        }
        if (flush != null) {
            closeQuietly(flush); // runs the flusher one last time
        }
        lock.lock();
        try {
            if (counterSection != null) {
                counterSection.close();
                counterSection = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(final AutoCloseable flush) {
        try {
            flush.close();
        } catch (final Exception ex) {
            // closing a registration does not fail
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
        StartupTrace.stamp("pool close: drained");
        final List<WorkerState> toStop = stopThreads();
        if (toStop == null) {
            return;
        }
        for (final WorkerState worker : toStop) {
            // A launched worker never given a task, in a pool without an initializer, has run no code of the user's:
            // like a worker still starting (cancelInitialStarts), it is killed rather than waited for. A worker ready
            // just before the close would otherwise first make its loop (codecs: 30-90 ms at load) before it saw its
            // inbox end (docs/benchmarks.md, "The command's end"). Leased warm workers end as their host expects, and
            // a worker that writes the class-data archive at its exit is let exit, or the archive would be lost.
            if (worker.tasksAssigned == 0 && !hasInitializer && !config.warmWorkers()
                && !worker.channel.writesArchiveAtExit()) {
                worker.killedByPool = true;
                worker.channel.killNow();
            } else {
                worker.channel.finish();
            }
        }
        StartupTrace.stamp("pool close: workers told to finish");
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
        for (final WorkerState worker : toStop) {
            try {
                worker.channel.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (final Exception ex) {
                worker.channel.killNow();
            }
        }
        StartupTrace.stamp("pool close: workers exited");
        release(toStop);
        StartupTrace.stamp("pool close: released");
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
        cancelInitialStarts();
        final DaemonThreads.Body dispatch = dispatching;
        final DaemonThreads.Body collect = collecting;
        if (dispatch != null) {
            dispatch.interrupt();
            dispatch.join(JOIN_MS);
        }
        if (collect != null) {
            collect.join(JOIN_MS);
        }
        runDeferred();
        return toStop;
    }

    private void release(final List<WorkerState> stoppedWorkers) {
        unpublishCounters();
        stoppedWorkers.forEach(worker -> worker.channel.release());
        transport.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (final IllegalStateException ex) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

}
