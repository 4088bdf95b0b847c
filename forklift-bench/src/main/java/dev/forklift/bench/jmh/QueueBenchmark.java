package dev.forklift.bench.jmh;

import dev.forklift.queue.Queue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * In-process queue throughput: one producer thread and one consumer thread on a shared-memory {@link Queue}
 * (single and batch operations) and, for reference, on an {@link ArrayBlockingQueue}. Run with
 * {@code ./forklift bench jmh QueueBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class QueueBenchmark {
    private static final int RUN = 32;

    @Param({"16", "1024"})
    public int messageBytes;

    private Queue<byte[]> queue;
    private ArrayBlockingQueue<byte[]> abq;
    private byte[] message;
    private List<byte[]> run;

    @Setup(Level.Trial)
    public void setUp() {
        queue = Queue.builder(byte[].class).name("jmh").capacity(4096).maxMessageBytes(messageBytes).build();
        abq = new ArrayBlockingQueue<>(4096);
        message = new byte[messageBytes];
        run = Collections.nCopies(RUN, message);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        queue.close();
    }

    /** Per-consumer-thread list for the batch take. */
    @State(Scope.Thread)
    public static class Sink {
        final List<byte[]> taken = new ArrayList<>(RUN);
    }

    // Non-blocking operations retried until they succeed or the iteration ends: a blocking take would wait
    // forever once JMH stops the producer thread first.

    @Benchmark
    @Group("shared")
    @GroupThreads(1)
    public void sharedPut(final Control control) {
        while (!queue.offer(message) && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("shared")
    @GroupThreads(1)
    public byte[] sharedTake(final Control control) {
        byte[] taken;
        while ((taken = queue.poll()) == null && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
        return taken;
    }

    @Benchmark
    @Group("sharedBatch")
    @GroupThreads(1)
    @OperationsPerInvocation(RUN)
    public void sharedPutAll(final Control control) throws InterruptedException {
        while (queue.capacity() - queue.size() < RUN) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        queue.putAll(run); // the only producer: the room seen above stays free
    }

    @Benchmark
    @Group("sharedBatch")
    @GroupThreads(1)
    @OperationsPerInvocation(RUN)
    public int sharedDrainTo(final Sink sink, final Control control) {
        int taken = 0;
        while (taken < RUN && !control.stopMeasurement) {
            sink.taken.clear();
            taken += queue.drainTo(sink.taken, RUN - taken);
        }
        return taken;
    }

    /**
     * One thread puts, then takes: the uncontended cost of a put and a take on the shared-memory queue, free of the
     * scheduling of two spinning threads (which dominates the groups above on a machine with few cores).
     */
    @Benchmark
    @Group("sharedAlone")
    @GroupThreads(1)
    public byte[] sharedPutTakeAlone() {
        queue.offer(message);
        return queue.poll();
    }

    /** As {@link #sharedPutTakeAlone()} for a run of 32: one {@code putAll}, then one {@code drainTo}. */
    @Benchmark
    @Group("sharedBatchAlone")
    @GroupThreads(1)
    @OperationsPerInvocation(RUN)
    public int sharedPutAllDrainToAlone(final Sink sink) throws InterruptedException {
        queue.putAll(run);
        sink.taken.clear();
        return queue.drainTo(sink.taken, RUN);
    }

    @Benchmark
    @Group("abq")
    @GroupThreads(1)
    public void abqPut(final Control control) {
        final byte[] copy = message.clone();
        while (!abq.offer(copy) && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("abq")
    @GroupThreads(1)
    public byte[] abqTake(final Control control) {
        byte[] taken;
        while ((taken = abq.poll()) == null && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
        return taken;
    }
}
