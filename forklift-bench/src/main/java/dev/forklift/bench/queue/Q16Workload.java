package dev.forklift.bench.queue;

import dev.forklift.bench.SteadyWorkload;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.queue.Queue;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Q16 run until closed: a {@code Queue<byte[]>} of 16-byte messages, capacity 4096, one producer JVM putting as
 * fast as it can and one consumer JVM taking and counting into its shared-memory progress counter (the same
 * children as {@link QueueThroughputCase#q16()}). {@link #done()} reads that counter (steps of 64 messages).
 */
public final class Q16Workload implements SteadyWorkload {
    private final Queue<byte[]> queue;
    private final List<ChildProcess> children;
    private boolean closed;

    private Q16Workload(final Queue<byte[]> queue, final List<ChildProcess> children) {
        this.queue = queue;
        this.children = children;
    }

    /**
     * Starts the producer and the consumer and returns once the consumer has taken its first messages.
     *
     * @return the running workload; close it.
     * @throws IllegalStateException if the consumer takes nothing within 30 s.
     */
    public static Q16Workload start() throws Exception {
        final Queue<byte[]> queue = Queue.builder(byte[].class).name("bench-OBS-Q16").capacity(4096)
            .maxMessageBytes(16).build();
        final List<ChildProcess> children;
        try {
            children = ChildProcessBuilder.startAll(List.of(
                ChildJvms.child(QueueTasks.CountingConsumer.class, "consumer", queue, 1),
                ChildJvms.child(QueueTasks.BytesProducer.class, "producer", queue, 16, 1)));
        } catch (final Exception | Error ex) {
            queue.close();
            throw ex;
        }
        final Q16Workload workload = new Q16Workload(queue, children);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (workload.done() == 0) {
            if (System.nanoTime() > deadline || children.stream().anyMatch(c -> !c.isAlive())) {
                workload.close();
                throw new IllegalStateException("the Q16 consumer took nothing: " + children);
            }
            Thread.sleep(5);
        }
        return workload;
    }

    @Override
    public long done() {
        return children.get(0).itemsDone();
    }

    @Override
    public List<Long> childPids() {
        return List.of(children.get(0).pid(), children.get(1).pid());
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.close();
            ChildJvms.joinAll(children);
        } finally {
            ChildJvms.closeAll(children);
        }
    }
}
