package dev.forklift.pool.internal;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.WorkStamp;
import dev.forklift.process.internal.ChildProcessImpl;
import dev.forklift.process.internal.StartupTrace;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueClosedException;
import dev.forklift.queue.internal.SharedQueue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shared-memory {@link WorkerTransport}: one bounded {@link Queue} of task frames per worker (so a worker's
 * unfinished tasks are known exactly) and one queue of result frames shared by all workers. Workers are child JVMs
 * running {@link WorkerMain}. Internal; not API.
 */
public final class SharedMemoryTransport implements WorkerTransport {
    /** Task frames a worker's inbox holds; the master keeps at most a few in flight per worker. */
    static final int INBOX_CAPACITY = 16;
    /** The role of a pool's worker processes. */
    static final String WORKER_ROLE = "pool-worker";
    private static final int RESULT_CAPACITY = 256;
    /** Fewest slots of a queue whose messages are very large. */
    private static final int LEAST_CAPACITY = 4;
    /**
     * Address space one queue of the pool may reserve (pages are used only as they are written), so that the
     * largest {@code maxMessageBytes} still makes queues within the 1 GiB limit of one queue file.
     */
    static final long QUEUE_BUDGET_BYTES = 256L << 20;

    private final PoolConfig config;
    private final SharedQueue<byte[]> results;
    /** The first workers' JVMs, booting while the queues and plans are made; closed once they were started. */
    private final dev.forklift.process.internal.Prelaunch prelaunch;
    /** Warm workers leased first thing, connecting back while the queues and plans are made; closed likewise. */
    private final dev.forklift.process.internal.WarmPrelease prelease;

    /** @param config the pool settings. */
    @SuppressWarnings("unchecked")
    public SharedMemoryTransport(final PoolConfig config) {
        this.config = config;
        this.prelease = dev.forklift.process.internal.WarmPrelease.start(config.warmWorkers() ? config.workers() : 0,
            config.classpath(), workerJvmOptions(config), WorkerMain.class.getName());
        // Warm workers are leased, not launched: nothing to start early for them.
        this.prelaunch = prelaunchWorkers(config.warmWorkers() ? 0 : config.workers(), config.classpath(),
            config.jvmOptions());
        try {
            this.results = (SharedQueue<byte[]>) Queue.builder(byte[].class).name(config.name() + "-results")
                .capacity(capacityFor(RESULT_CAPACITY, config.maxMessageBytes()))
                .maxMessageBytes(config.maxMessageBytes()).build();
        } catch (final RuntimeException ex) {
            prelaunch.close();
            prelease.close();
            throw ex;
        }
        StartupTrace.stamp("pool results queue made");
    }

    @Override
    public List<WorkerChannel> startWorkers(final List<WorkerSpec> specs) {
        final List<Queue<byte[]>> inboxes = new ArrayList<>();
        final List<Path> exitMarkers = new ArrayList<>();
        try {
            final List<ChildProcessBuilder> builders = builders(specs, inboxes, exitMarkers);
            final List<ChildProcess> children = ChildProcessBuilder.startAll(builders); // claims wait for the answer
            StartupTrace.stamp("pool workers ready");
            final List<WorkerChannel> channels = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                channels.add(new Channel(children.get(i), inboxes.get(i), exitMarkers.get(i)));
            }
            return channels;
        } catch (final RuntimeException ex) {
            inboxes.forEach(Queue::close);
            exitMarkers.forEach(WorkerExitMarker::discard);
            throw ex;
        } finally {
            prelaunch.close(); // JVMs the first workers did not take
            prelease.close(); // warm workers likewise
        }
    }

    /**
     * Launches every worker on this thread and returns before their handshakes ({@link ChildProcessBuilder#startEach});
     * a worker that fails to start has its inbox and exit marker freed, a cancelled one is killed likewise.
     */
    @Override
    public List<CompletableFuture<WorkerChannel>> startWorkersEach(final List<WorkerSpec> specs) {
        final List<Queue<byte[]>> inboxes = new ArrayList<>();
        final List<Path> exitMarkers = new ArrayList<>();
        final List<CompletableFuture<ChildProcess>> children;
        try {
            final List<ChildProcessBuilder> builders = builders(specs, inboxes, exitMarkers);
            children = ChildProcessBuilder.startEach(builders); // its claims wait for the lease's answer
        } catch (final RuntimeException ex) {
            inboxes.forEach(Queue::close);
            exitMarkers.forEach(WorkerExitMarker::discard);
            throw ex;
        } finally {
            prelaunch.close(); // JVMs the first workers did not take
            prelease.close(); // warm workers likewise
        }
        final List<CompletableFuture<WorkerChannel>> channels = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            final CompletableFuture<ChildProcess> child = children.get(i);
            final Queue<byte[]> inbox = inboxes.get(i);
            final Path exitMarker = exitMarkers.get(i);
            final CompletableFuture<WorkerChannel> channel = new CompletableFuture<>();
            child.whenComplete((started, failure) -> {
                if (failure != null) {
                    inbox.close();
                    WorkerExitMarker.discard(exitMarker);
                    channel.completeExceptionally(failure);
                } else if (!channel.complete(new Channel(started, inbox, exitMarker))) {
                    started.killNow(); // cancelled meanwhile
                    inbox.close();
                    WorkerExitMarker.discard(exitMarker);
                } else {
                    StartupTrace.stamp("pool worker ready: " + started.name());
                }
            });
            channel.whenComplete((started, failure) -> {
                if (channel.isCancelled()) {
                    child.cancel(true);
                }
            });
            channels.add(channel);
        }
        return channels;
    }

    /** Makes each worker's inbox, exit marker and child builder, adding the first two to the lists as it goes. */
    private List<ChildProcessBuilder> builders(final List<WorkerSpec> specs, final List<Queue<byte[]>> inboxes,
        final List<Path> exitMarkers) {
        final List<ChildProcessBuilder> builders = new ArrayList<>();
        for (final WorkerSpec spec : specs) {
            final Queue<byte[]> inbox = Queue.builder(byte[].class).name(spec.name() + "-tasks")
                .capacity(capacityFor(INBOX_CAPACITY, config.maxMessageBytes()))
                .maxMessageBytes(config.maxMessageBytes()).build();
            inboxes.add(inbox);
            StartupTrace.stamp("pool inbox made");
            final Path exitMarker = WorkerExitMarker.reserve(spec.name());
            exitMarkers.add(exitMarker);
            StartupTrace.stamp("pool exit marker reserved");
            final ChildProcessBuilder builder = ChildProcess.builder(WorkerMain.class).role(WORKER_ROLE)
                .name(spec.name()).output(config.output())
                .args((Object) WorkerArgs.of((SharedQueue<byte[]>) inbox, results, spec.workerId(),
                    new WorkerSettings(config.allowList(), config.maxMessageBytes(), spec.initializer(),
                        config.maxObjectDepth()), exitMarker.toString()).encode());
            builder.jvmOptions(workerJvmOptions(config).toArray(new String[0]));
            if (config.classpath() != null) {
                builder.classpath(config.classpath());
            }
            builder.warm(config.warmWorkers());
            builders.add(builder);
        }
        StartupTrace.stamp("pool inboxes made, starting workers");
        return builders;
    }

    /**
     * @param config the pool settings.
     * @return the JVM options of every worker of the pool.
     */
    public static List<String> workerJvmOptions(final PoolConfig config) {
        return workerJvmOptions(config.jvmOptions());
    }

    private static List<String> workerJvmOptions(final List<String> poolJvmOptions) {
        final List<String> options = new ArrayList<>();
        // An OutOfMemoryError ends the worker at once (exit code 3): a crash the master retries, never a
        // half-dead JVM with threads that died of it. It runs no shutdown hook, so no exit marker is left.
        options.add("-XX:+ExitOnOutOfMemoryError");
        options.addAll(poolJvmOptions);
        return options;
    }

    /**
     * Starts the JVMs of a pool's first workers before the pool exists, as its build does first thing: a pool of
     * the same class path and JVM options built while they are offered takes them instead of launching its own
     * ({@link dev.forklift.process.internal.Prelaunch}). Called by a pool's build, and by a command line before it
     * has parsed its options. Never blocks on the JVMs; launches nothing when prelaunching is off. Launches only as
     * many as may boot at once ({@link StaggeredStart#bootLimit}): the pool launches the others one boot later.
     *
     * @param count          how many workers.
     * @param classpath      the pool's class path ({@code PoolBuilder.classpath}), or null for the default.
     * @param poolJvmOptions the pool's JVM options ({@code PoolBuilder.jvmOptions}).
     * @return the prelaunch; close it to destroy the JVMs no worker took.
     */
    public static dev.forklift.process.internal.Prelaunch prelaunchWorkers(final int count, final String classpath,
        final List<String> poolJvmOptions) {
        return dev.forklift.process.internal.Prelaunch.start(StaggeredStart.bootLimit(count, false), WORKER_ROLE,
            classpath, workerJvmOptions(poolJvmOptions), WorkerMain.class.getName());
    }

    /**
     * Leases the warm workers of a pool with warm workers before the pool exists, as its build does first thing: the
     * first such pool of the same class path and JVM options adopts the lease
     * ({@link dev.forklift.process.internal.WarmPrelease#startEarly}). Called by a command line before it parses its
     * options; never blocks (the lease runs on a background thread).
     *
     * @param count          how many workers.
     * @param classpath      the pool's class path, or null for the default.
     * @param poolJvmOptions the pool's JVM options (its {@code jvmOptions}), without Forklift's defaults.
     * @return the prelease; close it once the command has run.
     */
    public static dev.forklift.process.internal.WarmPrelease preleaseWarmWorkers(final int count,
        final String classpath, final List<String> poolJvmOptions) {
        return dev.forklift.process.internal.WarmPrelease.startEarly(count, classpath,
            workerJvmOptions(poolJvmOptions), WorkerMain.class.getName());
    }

    /**
     * @param preferred       the capacity for ordinary messages.
     * @param maxMessageBytes the largest message.
     * @return the preferred capacity, halved while its messages would take more than {@link #QUEUE_BUDGET_BYTES},
     * at least {@link #LEAST_CAPACITY}.
     */
    static int capacityFor(final int preferred, final int maxMessageBytes) {
        int capacity = preferred;
        while (capacity > LEAST_CAPACITY && (long) capacity * maxMessageBytes > QUEUE_BUDGET_BYTES) {
            capacity /= 2;
        }
        return capacity;
    }

    @Override
    public byte[] pollResult(final long timeoutMs) throws InterruptedException {
        try {
            return results.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final EndOfStreamException ex) {
            Thread.sleep(timeoutMs);
            return null;
        }
    }

    /** The tail of the result queue: a dead worker claimed its slots before it. */
    @Override
    public long resultsMark() {
        return results.tailPosition();
    }

    /** The master is the result queue's only consumer: its head passes a slot once the frame was handled. */
    @Override
    public boolean resultsReadPast(final long mark) {
        return results.headPosition() >= mark;
    }

    @Override
    public void repairAfterDeath(final long pid) {
        // The worker was reaped: a result slot it claimed and never published is torn now, not after repairAfter.
        results.repairSlotsHeldBy(pid);
    }

    @Override
    public void close() {
        prelaunch.close();
        results.close();
    }

    private static final class Channel implements WorkerChannel {
        private final ChildProcess child;
        private final Queue<byte[]> inbox;
        private final Path exitMarker;
        /** Whether the worker left its exit marker, read once it is dead (at release); null before. */
        private volatile Boolean systemExitCalled;

        Channel(final ChildProcess child, final Queue<byte[]> inbox, final Path exitMarker) {
            this.child = child;
            this.inbox = inbox;
            this.exitMarker = exitMarker;
        }

        @Override
        public String name() {
            return child.name();
        }

        @Override
        public long pid() {
            return child.pid();
        }

        @Override
        public boolean send(final byte[] frame) throws InterruptedException {
            while (child.isAlive()) {
                try {
                    if (inbox.offer(frame, 50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (final QueueClosedException ex) {
                    return false;
                }
            }
            return false;
        }

        @Override
        public void finish() {
            inbox.close();
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return child.onExit();
        }

        @Override
        public long lastHeartbeatEpochMs() {
            return child.lastHeartbeatEpochMs();
        }

        @Override
        public WorkStamp workStamp() {
            return child.workStamp();
        }

        @Override
        public boolean isAlive() {
            return child.isAlive();
        }

        @Override
        public boolean writesArchiveAtExit() {
            return child instanceof ChildProcessImpl launched && launched.writesArchiveAtExit();
        }

        @Override
        public void killNow() {
            // Through the child's own process handle, never by pid: a reaped child's pid may be someone else's now.
            child.killNow();
        }

        @Override
        public void terminate(final Duration grace) {
            child.terminate(grace);
        }

        @Override
        public boolean systemExitCalled() {
            final Boolean read = systemExitCalled;
            return read != null ? read : WorkerExitMarker.left(exitMarker);
        }

        @Override
        public synchronized void release() {
            if (systemExitCalled == null) {
                systemExitCalled = WorkerExitMarker.left(exitMarker);
                WorkerExitMarker.discard(exitMarker);
            }
            inbox.close();
        }
    }
}
