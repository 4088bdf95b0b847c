package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codecs;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.SerializableRunnable;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;

/**
 * The body of a pool worker JVM: runs the initializer, then the worker loop until its inbox ends. Started by
 * {@link SharedMemoryTransport}; public only because the child process loads it by name. While it runs, a
 * {@link WorkerExitMarker} is armed, so that the master can tell a task's {@code System.exit} from an
 * {@code OutOfMemoryError}. Internal; not API.
 */
public final class WorkerMain implements ProcessTask {
    private static final long serialVersionUID = 1L;

    @Override
    @SuppressWarnings("unchecked")
    public void run(final TaskContext context) throws Exception {
        dev.forklift.process.internal.StartupTrace.stamp("worker run");
        final Queue<byte[]> inbox = context.arg(0, Queue.class);
        final Queue<byte[]> results = context.arg(1, Queue.class);
        final int workerId = context.arg(2, Integer.class);
        final WorkerSettings settings = context.arg(3, WorkerSettings.class);
        final WorkerExitMarker exitMarker = WorkerExitMarker.arm(context.arg(4, String.class));
        try {
            runTasks(context, inbox, results, workerId, settings);
        } finally {
            exitMarker.disarm();
        }
    }

    /**
     * Called by a warm worker JVM before it is leased (see {@code WarmWorkerMain}), never in a launched worker:
     * rehearses what {@link #run} loads before its first result (the element codec with a value through it, a
     * serialized function decoded, the worker loop's classes), so that a pool on warm workers does not pay for it.
     * Touches no queue, file or parent; a failure is ignored by the caller.
     *
     * @throws Exception if a step fails.
     */
    public static void warmUp() throws Exception {
        final ElementCodec codec = new ElementCodec(Codecs.forType(Object.class, AllowList.defaults()));
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(256);
        codec.write(41, buffer);
        codec.write("x", buffer);
        buffer.flip();
        codec.read(buffer);
        codec.read(buffer);
        final SerializableFunction<Integer, Integer> function = x -> x + 1;
        @SuppressWarnings("unchecked")
        final SerializableFunction<Integer, Integer> decoded =
            (SerializableFunction<Integer, Integer>) Serialized.fromBytes(Serialized.toBytes(function));
        decoded.apply(1);
        for (final Class<?> type : java.util.List.of(WorkerLoop.class, ResultWriter.class, WorkerSettings.class,
            WorkerExitMarker.class, FaultPoints.class, TaskClock.class, TaskFrames.class, ResultFrames.class)) {
            Class.forName(type.getName(), true, WorkerMain.class.getClassLoader());
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
        context.state("working");
        final ElementCodec codec = new ElementCodec(Codecs.forType(Object.class, settings.allowList(),
            settings.maxObjectDepth()));
        new WorkerLoop(inbox, new ResultWriter(workerId, results, codec, settings.maxMessageBytes()), codec,
            context).run();
    }
}
