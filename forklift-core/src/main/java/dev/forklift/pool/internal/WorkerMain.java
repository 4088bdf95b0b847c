package dev.forklift.pool.internal;

import dev.forklift.codec.Codecs;
import dev.forklift.pool.SerializableRunnable;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;

/**
 * The body of a pool worker JVM: runs the initializer, then the worker loop until its inbox ends. Started by
 * {@link SharedMemoryTransport}; public only because the child process loads it by name. Internal; not API.
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
