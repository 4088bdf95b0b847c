package dev.forklift.bench.jmh;

import dev.forklift.jfr.TaskAttemptEvent;
import dev.forklift.process.internal.StatusRow;
import dev.forklift.shm.AtomicMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * What the observability of issue 15 adds to each task on the hot paths, one thread, JFR not recording: the
 * worker's two work stamps and its items count on its status-board row ({@link #workerStampsAndItems}, as
 * {@code WorkerLoop} did per task, two clock reads; {@link #workerSharedClockPerTask}, as it does now, one), their
 * parts, and the parent's per-attempt record ({@link #parentAttemptRecord}:
 * the run time and a {@code TaskAttempt} event that is not enabled). Compare with a task's whole cost in P-submit
 * (1 / its throughput, about 5-10 us here). The queues' put and take counts cost nothing: they are the ring's tail
 * and head positions. Run with {@code ./forklift bench jmh ObservabilityHotPathBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms128m", "-Xmx128m"})
@State(Scope.Thread)
public class ObservabilityHotPathBenchmark {
    private StatusRow row;
    private long taskId;
    private long dispatchedNs;
    private long taskNanos;

    @Setup
    public void setUp() {
        row = new StatusRow(new AtomicMemory(ByteBuffer.allocateDirect(1 << 20)), 1);
        dispatchedNs = System.nanoTime();
    }

    /** The baseline: what is left when the stamps are gone (the task id's increment). */
    @Benchmark
    public long baseline() {
        return ++taskId;
    }

    /** Per task in the worker: stamp the start, count the items, stamp the end (two clock reads, one atomic add). */
    @Benchmark
    public long workerStampsAndItems() {
        final long id = ++taskId;
        row.workStamp(id, System.nanoTime());
        final long items = row.addItemsDone(1);
        row.workStamp(-id, System.nanoTime());
        return items;
    }

    /**
     * Per task in the worker as {@code WorkerLoop} does it now: one clock read at the task boundary serves the end
     * stamp of one task and the start stamp of the next (against {@link #workerStampsAndItems}, two reads).
     */
    @Benchmark
    public long workerSharedClockPerTask() {
        final long id = ++taskId;
        final long items = row.addItemsDone(1);
        final long nowNs = System.nanoTime();
        row.workStamp(-id, nowNs);
        row.workStamp(id + 1, nowNs);
        return items;
    }

    /** One work stamp with its clock read. */
    @Benchmark
    public long workerOneStamp() {
        final long id = ++taskId;
        row.workStamp(id, System.nanoTime());
        return id;
    }

    /** The items count alone (an atomic add in shared memory). */
    @Benchmark
    public long workerItemsOnly() {
        return row.addItemsDone(1);
    }

    /** One clock read (the guest's clock source decides its cost). */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Per attempt in the parent, with the master's lock held: the run time, and an event that is not recorded. */
    @Benchmark
    public long parentAttemptRecord() {
        final long runNanos = Math.max(0, System.nanoTime() - dispatchedNs);
        taskNanos += runNanos;
        final TaskAttemptEvent event = new TaskAttemptEvent();
        if (event.isEnabled()) {
            event.runNanos = runNanos;
            event.commit();
        }
        return taskNanos;
    }
}
