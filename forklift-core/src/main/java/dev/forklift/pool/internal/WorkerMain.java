package dev.forklift.pool.internal;

import dev.forklift.codec.Codecs;
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
