package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codecs;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.SerializableRunnable;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.process.internal.ChildRehearsal;
import dev.forklift.process.internal.PreparesBeforeReady;
import dev.forklift.process.internal.StartupTrace;
import dev.forklift.queue.Queue;
import dev.forklift.queue.internal.SharedQueue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The body of a pool worker JVM: runs the initializer, then the worker loop until its inbox ends. Started by
 * {@link SharedMemoryTransport}; public only because the child process loads it by name. While it runs, a
 * {@link WorkerExitMarker} is armed, so that the master can tell a task's {@code System.exit} from an
 * {@code OutOfMemoryError}. Internal; not API.
 */
public final class WorkerMain implements ProcessTask, PreparesBeforeReady {
    private static final long serialVersionUID = 1L;
    private transient WorkerArgs args;
    private transient Queue<byte[]> inbox;
    private transient Queue<byte[]> results;

    /**
     * Decodes the worker's binary arguments ({@link WorkerArgs}, the child's only argument) and attaches its queues:
     * called by the child's main before it reports ready, so a worker reported ready has its queues.
     *
     * @param childArgs the child's arguments: one {@code byte[]}.
     * @throws IllegalArgumentException naming what is wrong with the arguments.
     */
    @Override
    public void beforeReady(final Object[] childArgs) {
        if (childArgs.length != 1 || !(childArgs[0] instanceof byte[])) {
            throw new IllegalArgumentException("a pool worker takes one byte[] argument (its WorkerArgs), got "
                + childArgs.length + " arguments");
        }
        final WorkerArgs decoded = WorkerArgs.decode((byte[]) childArgs[0]);
        final Queue<byte[]> attachedInbox = decoded.attachInbox();
        results = decoded.attachResults();
        inbox = attachedInbox;
        args = decoded;
    }

    @Override
    public void run(final TaskContext context) throws Exception {
        StartupTrace.stamp("worker run");
        if (args == null) {
            beforeReady(context.args().toArray());
        }
        final int workerId = args.workerId();
        final WorkerSettings settings = args.settings();
        final WorkerExitMarker exitMarker = WorkerExitMarker.arm(args.exitMarker());
        try {
            runTasks(context, inbox, results, workerId, settings);
        } finally {
            exitMarker.disarm();
        }
    }

    /**
     * Called by a warm worker JVM before it is leased (see {@code WarmWorkerMain}), never in a launched worker:
     * rehearses a pool worker's whole start on queues of its own, so that a pool on warm workers does not pay for
     * code run for the first time. Its arguments go through a child's spec encoding and decoding
     * ({@link ChildRehearsal}: queues attached, the settings and their allow-list
     * decoded), then {@link #run} takes one frame with a function and an input, as the master sends them, and
     * writes its result, until its inbox ends. Touches no parent; a failure is ignored by the caller.
     *
     * @throws Exception if a step fails, or the rehearsed task wrote no result.
     */
    public static void warmUp() throws Exception {
        final int maxMessageBytes = 64 * 1024;
        try (Queue<byte[]> inbox = Queue.builder(byte[].class).name("warm-rehearsal-tasks").capacity(2)
                .maxMessageBytes(maxMessageBytes).build();
             Queue<byte[]> results = Queue.builder(byte[].class).name("warm-rehearsal-results").capacity(2)
                 .maxMessageBytes(maxMessageBytes).build()) {
            final Path marker = WorkerExitMarker.reserve("warm-rehearsal");
            final TaskContext context = ChildRehearsal.rehearse(WorkerMain.class,
                (Object) WorkerArgs.of((SharedQueue<byte[]>) inbox,
                    (SharedQueue<byte[]>) results, 0,
                    new WorkerSettings(AllowList.defaults(), maxMessageBytes, null), marker.toString()).encode());
            final ElementCodec codec = new ElementCodec(Codecs.forType(Object.class, AllowList.defaults()));
            final ByteBuffer input = ByteBuffer.allocate(64);
            codec.write(41, input);
            final byte[] payload = Arrays.copyOf(input.array(), input.position());
            final SerializableFunction<Integer, Integer> function = x -> x + 1;
            final FunctionRef definition = new FunctionRef(1, Serialized.toBytes(function));
            inbox.put(TaskFrames.encode(List.of(definition),
                List.of(new Job(1, definition, payload, 1, new Object[] {41}, null)), new int[] {1},
                new boolean[] {false}));
            final WorkerMain worker = new WorkerMain();
            worker.beforeReady(context.args().toArray()); // as a child's main does: the queues attached first
            inbox.close(); // the worker loop ends once it has taken the frame
            worker.run(context);
            WorkerExitMarker.discard(marker);
            if (results.poll(1, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("the rehearsed task wrote no result");
            }
        }
    }

    /**
     * Tests only: with {@code -Dforklift.test.slowWorkerLoop=NAME:MS}, the worker named NAME waits MS once ready,
     * before it makes its loop (a worker ready but not yet taking). Other workers go on at once.
     */
    private static void slowLoopForTests(final String name) {
        final String setting = System.getProperty("forklift.test.slowWorkerLoop");
        if (setting == null || !setting.startsWith(name + ":")) {
            return;
        }
        try {
            Thread.sleep(Long.parseLong(setting.substring(name.length() + 1)));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runTasks(final TaskContext context, final Queue<byte[]> inbox, final Queue<byte[]> results,
        final int workerId, final WorkerSettings settings) throws Exception {
        if (settings.initializer() != null) {
            context.state("initializing");
            context.workStamp(TaskClock.INITIALIZING);
            final SerializableRunnable initializer;
            try {
                initializer = (SerializableRunnable) Serialized.fromBytes(settings.initializer());
                initializer.run();
            } catch (final Exception | LinkageError ex) {
                throw new InitializerFailedException("the pool's worker initializer failed: " + ex, ex);
            }
        }
        slowLoopForTests(context.name());
        context.state("working");
        final ElementCodec codec = new ElementCodec(Codecs.forType(Object.class, settings.allowList(),
            settings.maxObjectDepth()));
        final WorkerLoop loop = new WorkerLoop(inbox, new ResultWriter(workerId, results, codec,
            settings.maxMessageBytes()), codec, context);
        StartupTrace.stamp("worker loop made, taking");
        loop.run();
    }
}
