package dev.forklift.pool.internal;

import dev.forklift.ForkliftException;
import dev.forklift.codec.CodecException;
import dev.forklift.queue.MessageTooLargeException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@link Master}'s dispatcher loop: waits for pending tasks and a worker with room, has the
 * {@link FramePlanner} fill a frame, registers its tasks as running on that worker (attempt, dispatch time) and
 * sends the frame ({@link TaskFrames}). A function the worker has not seen goes in the frame; when frame and
 * definitions together would exceed {@code maxMessageBytes}, each definition goes first in a frame of its own.
 *
 * <p>It never dies of an error: any {@link Throwable} while planning or sending a frame (an oversized frame the
 * transport refuses, an error of the transport, an {@link OutOfMemoryError} while encoding) fails the tasks of
 * that frame, with a message naming the worker, the frame's sizes and {@code maxMessageBytes}, and the loop goes
 * on; an error that no task can be charged with breaks the pool, so that no caller waits forever. Internal; not
 * API.
 *
 * <p>Threads and lock: {@link #run} is the body of the master's <em>dispatcher</em> thread; it ends when the pool
 * stops or the thread is interrupted. It takes the master's lock (the one {@link ReentrantLock}, shared here) to
 * plan and to settle, and sends without it; it blocks on the lock's condition while there is nothing to send and
 * in {@link WorkerChannel#send} while a worker's inbox is full. Failure deliveries are handed to
 * {@code deliverLater}, which runs them on the collector thread (where futures complete).
 */
final class Dispatcher implements Runnable {
    /** For the start-up stamps: whether this pool's dispatcher sent a task frame yet (dispatcher thread only). */
    private boolean firstFrameSent;
    private final ReentrantLock lock;
    private final Condition changed;
    private final ArrayDeque<Job> pending;
    private final Map<Long, Job> running;
    private final WorkerRoster workers;
    private final PoolConfig config;
    private final PoolCounters counters;
    private final ResultCollector results;
    /** True once the pool stopped; read with the lock held. */
    private final BooleanSupplier stopped;
    /** Starts replacement workers as needed; run with the lock held. */
    private final Runnable scheduleSpawn;
    private final DeathHandler.PoolBreaker breaker;
    /** Runs completions on the collector thread. */
    private final Consumer<List<Runnable>> deliverLater;
    /** Guarded by the lock. */
    private long nextFrameSeq;

    /** Takes the master's lock, its condition and the state they guard; see the class comment. */
    Dispatcher(final ReentrantLock lock, final Condition changed, final ArrayDeque<Job> pending,
        final Map<Long, Job> running, final WorkerRoster workers, final PoolConfig config, final PoolCounters counters,
        final ResultCollector results, final BooleanSupplier stopped, final Runnable scheduleSpawn,
        final DeathHandler.PoolBreaker breaker, final Consumer<List<Runnable>> deliverLater) {
        this.lock = lock;
        this.changed = changed;
        this.pending = pending;
        this.running = running;
        this.workers = workers;
        this.config = config;
        this.counters = counters;
        this.results = results;
        this.stopped = stopped;
        this.scheduleSpawn = scheduleSpawn;
        this.breaker = breaker;
        this.deliverLater = deliverLater;
    }

    /** One frame on its way: its worker, its tasks with the attempt each was sent as, the definitions in it. */
    private static final class Frame {
        final List<Job> jobs = new ArrayList<>();
        final List<FunctionRef> definitions = new ArrayList<>();
        WorkerState target;
        int[] attempts = new int[0];
        boolean[] isolated = new boolean[0];
        /** Tasks registered as sent to the worker (the first ones of {@link #jobs}). */
        int registered;
        /** Definitions already sent. */
        int definitionsSent;
        /** Planning failed: nothing to send. */
        boolean failed;
        /** The worker retires after this frame: end its inbox once it is sent. */
        boolean finishAfter;
    }

    @Override
    public void run() {
        while (true) {
            final Frame frame = new Frame();
            try {
                if (!plan(frame)) {
                    return;
                }
            } catch (final InterruptedException ex) {
                return;
            }
            try {
                if (!frame.failed) {
                    send(frame);
                }
            } catch (final InterruptedException ex) {
                return;
            } catch (final Throwable thrown) {
                fail(frame, thrown);
            } finally {
                sent(frame);
            }
        }
    }

    /**
     * Waits for work and a worker, then fills and registers the frame (lock taken here).
     *
     * @return false when the pool stopped.
     */
    private boolean plan(final Frame frame) throws InterruptedException {
        final List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            WorkerState target;
            while (!stopped.getAsBoolean()
                && (pending.isEmpty() || (target = workers.pick(Master.MAX_FRAMES_PER_WORKER)) == null)) {
                changed.await();
            }
            if (stopped.getAsBoolean()) {
                return false;
            }
            try {
                register(frame, workers.pick(Master.MAX_FRAMES_PER_WORKER));
            } catch (final RuntimeException | Error thrown) {
                failUnderLock(frame, thrown, completions);
                frame.failed = true;
            }
        } finally {
            lock.unlock();
        }
        deliverLater.accept(completions);
        return true;
    }

    /** Lock held: plans the frame for the worker and marks its tasks as sent to it. */
    private void register(final Frame frame, final WorkerState target) {
        frame.target = target;
        FramePlanner.plan(pending, target, workers.countEligible(Master.MAX_FRAMES_PER_WORKER), config, frame.jobs,
            frame.definitions);
        final long now = System.nanoTime();
        final long nowMs = System.currentTimeMillis();
        final int count = frame.jobs.size();
        frame.attempts = new int[count];
        frame.isolated = new boolean[count];
        final long frameSeq = nextFrameSeq++;
        for (int i = 0; i < count; i++) {
            final Job job = frame.jobs.get(i);
            job.attempt++;
            job.delivered = 0;
            job.worker = target;
            job.frameSeq = frameSeq;
            job.dispatchedNs = now;
            job.startSeen = false;
            job.lastInFrame = i == count - 1;
            if (job.firstAttemptMs == 0) {
                job.firstAttemptMs = nowMs;
            }
            job.lastAttemptMs = nowMs;
            frame.attempts[i] = job.attempt;
            frame.isolated[i] = job.isolated;
            running.put(job.id, job);
            target.jobs.addLast(job);
            frame.registered++;
        }
        for (final FunctionRef function : frame.definitions) {
            target.functionsSent.set(function.id());
        }
        target.framesInFlight++;
        target.tasksAssigned += count;
        target.sending = true;
        if (config.maxTasksPerWorker() > 0 && target.tasksAssigned >= config.maxTasksPerWorker()) {
            target.retiring = true;
            frame.finishAfter = true;
            scheduleSpawn.run();
        }
    }

    /** Lock not held: sends the definitions that do not fit with the tasks on their own, then the tasks. */
    private void send(final Frame frame) throws InterruptedException {
        final WorkerChannel channel = frame.target.channel;
        final int tasksBytes = TaskFrames.FRAME_HEADER_BYTES + TaskFrames.tasksSize(frame.jobs);
        if (tasksBytes > config.maxMessageBytes()) {
            throw new CodecException(tooLarge(frame, tasksBytes, null));
        }
        int frameBytes = 0;
        try {
            List<FunctionRef> definitions = frame.definitions;
            if (tasksBytes + TaskFrames.definitionsSize(definitions) > config.maxMessageBytes()) {
                for (final FunctionRef function : definitions) {
                    final List<FunctionRef> one = List.of(function);
                    frameBytes = TaskFrames.FRAME_HEADER_BYTES + TaskFrames.definitionsSize(one);
                    if (!channel.send(TaskFrames.encode(one, List.of(), new int[0], new boolean[0]))) {
                        return; // the worker is gone: its death hands its tasks back
                    }
                    frame.definitionsSent++;
                }
                definitions = List.of();
            }
            frameBytes = tasksBytes + TaskFrames.definitionsSize(definitions);
            if (channel.send(TaskFrames.encode(definitions, frame.jobs, frame.attempts, frame.isolated))) {
                frame.definitionsSent = frame.definitions.size();
                if (!firstFrameSent) {
                    firstFrameSent = true;
                    dev.forklift.process.internal.StartupTrace.stamp("pool first frame sent");
                }
            }
        } catch (final MessageTooLargeException ex) {
            throw new CodecException(tooLarge(frame, frameBytes, ex), ex);
        }
    }

    /** Lock not held: the frame's send ended (sent, refused or failed): end the inbox of a retiring worker. */
    private void sent(final Frame frame) {
        if (frame.target == null || !frame.target.sending) {
            return;
        }
        lock.lock();
        try {
            frame.target.sending = false;
            if (frame.finishAfter || frame.target.finishAfterSend) {
                frame.target.finishAfterSend = false;
                frame.target.channel.finish();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lock not held: fails the frame's tasks with the error (takes the lock); the dispatcher goes on. */
    private void fail(final Frame frame, final Throwable thrown) {
        final List<Runnable> completions = new ArrayList<>();
        lock.lock();
        try {
            failUnderLock(frame, thrown, completions);
        } finally {
            lock.unlock();
        }
        deliverLater.accept(completions);
    }

    /**
     * Lock held: fails the frame's tasks: those still registered as sent to its worker under this attempt (a task
     * whose worker died meanwhile was handed back and is left alone), and those planning took and did not
     * register; forgets the definitions the worker did not get. With no task to charge, the pool breaks: the error
     * would otherwise leave callers waiting.
     */
    private void failUnderLock(final Frame frame, final Throwable thrown, final List<Runnable> completions) {
        final RuntimeException error = thrown instanceof CodecException ? (CodecException) thrown
            : new ForkliftException(describe(frame, "could not send the frame: " + thrown), thrown);
        final WorkerState target = frame.target;
        for (int i = 0; i < frame.jobs.size(); i++) {
            final Job job = frame.jobs.get(i);
            if (i < frame.registered) {
                if (job.worker != target || job.attempt != frame.attempts[i] || running.get(job.id) != job) {
                    continue;
                }
                running.remove(job.id);
                target.jobs.remove(job);
                if (job.lastInFrame) {
                    target.framesInFlight--;
                }
            }
            job.failUndelivered(error, completions, index -> results.recordFailure(job, index,
                Math.max(1, job.attempt), error, target, OptionalInt.empty(), OptionalInt.empty(), completions));
            counters.tasksCompleted++;
        }
        if (target != null) {
            for (int i = frame.definitionsSent; i < frame.definitions.size(); i++) {
                target.functionsSent.clear(frame.definitions.get(i).id());
            }
        }
        if (frame.jobs.isEmpty()) {
            breaker.breakPool(new ForkliftException("the pool's dispatcher failed: " + thrown, thrown), List.of(),
                completions);
        }
        changed.signalAll();
    }

    /** @return the frame too large message: its sizes and the setting to raise. */
    private String tooLarge(final Frame frame, final int frameBytes, final MessageTooLargeException refused) {
        return describe(frame, "its frame of " + frameBytes + " bytes is larger than "
            + (refused != null ? "the worker's inbox accepts (" + refused.getMessage() + ")"
                : "maxMessageBytes=" + config.maxMessageBytes())
            + ": raise PoolBuilder.maxMessageBytes (now " + config.maxMessageBytes() + ")");
    }

    /** @return what the frame held and where it went, then why it failed. */
    private String describe(final Frame frame, final String why) {
        long inputs = 0;
        for (final Job job : frame.jobs) {
            inputs += job.count;
        }
        final String worker = frame.target == null ? "no worker"
            : "worker '" + frame.target.channel.name() + "' (pid " + frame.target.channel.pid() + ")";
        return "the pool could not send " + frame.jobs.size() + " task(s) (" + inputs + " input(s), "
            + TaskFrames.tasksSize(frame.jobs) + " bytes of tasks and inputs, " + frame.definitions.size()
            + " function definition(s) of " + TaskFrames.definitionsSize(frame.definitions) + " bytes) to "
            + worker + ": " + why;
    }
}
