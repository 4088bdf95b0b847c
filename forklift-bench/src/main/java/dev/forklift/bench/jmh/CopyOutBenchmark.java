package dev.forklift.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The per-message memory work of each side of the queue cases, one thread, no queue and no other process: what a
 * {@code Queue<byte[]>} consumer does per message ({@link #newArrayAndCopyOut}: a new array filled from the slot),
 * its two parts ({@link #newArrayOnly}, {@link #copyOutIntoReusedArray}), a new array that is not zeroed first
 * ({@link #newArrayFromHeapArray}), what the in-place consumer of the benchmark does ({@link #sumInPlace}), and
 * what both producers do ({@link #copyIn}). Messages rotate through a ring of slots in a direct buffer of the queue
 * case's size (4096 x 1 KiB, 16 x 64 KiB). The heap options are those of the queue cases' child JVMs. Run with
 * {@code ./forklift bench jmh CopyOutBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class CopyOutBenchmark {
    @Param({"1024", "65536"})
    public int messageBytes;

    private ByteBuffer ring;
    private byte[] message;
    private byte[] reused;
    private int slots;
    private int next;

    @Setup
    public void setUp() {
        slots = messageBytes <= 1024 ? 4096 : 16;
        ring = ByteBuffer.allocateDirect(slots * messageBytes);
        message = new byte[messageBytes];
        reused = new byte[messageBytes];
        for (int i = 0; i < messageBytes; i++) {
            message[i] = (byte) (i * 31 + 7);
        }
    }

    private int nextSlot() {
        final int slot = next;
        next = (slot + 1) & (slots - 1);
        return slot * messageBytes;
    }

    /** @return a new array with the message's bytes: the work of {@code take()} on a {@code Queue<byte[]>}. */
    @Benchmark
    public byte[] newArrayAndCopyOut() {
        final byte[] copy = new byte[messageBytes];
        ring.get(nextSlot(), copy);
        return copy;
    }

    /** @return a new array of the message's size, nothing copied. */
    @Benchmark
    public byte[] newArrayOnly() {
        return new byte[messageBytes];
    }

    /**
     * @return a new array copied from a heap array: the JIT allocates it without zeroing it first (the copy fills it
     *         completely), which it does not do for a copy from a buffer; compare with {@link #newArrayOnly}.
     */
    @Benchmark
    public byte[] newArrayFromHeapArray() {
        return Arrays.copyOf(message, messageBytes);
    }

    /** @return the same array each time, refilled from the slot: the copy without the allocation. */
    @Benchmark
    public byte[] copyOutIntoReusedArray() {
        ring.get(nextSlot(), reused);
        return reused;
    }

    /** @return the sum of every long of the slot, read where it lies: the in-place consumer's work. */
    @Benchmark
    public long sumInPlace() {
        final ByteBuffer view = ring.slice(nextSlot(), messageBytes).order(ByteOrder.nativeOrder());
        long total = 0;
        for (int i = 0; i <= messageBytes - Long.BYTES; i += Long.BYTES) {
            total += view.getLong(i);
        }
        return total;
    }

    /** @return the slot view after the message was copied into it: both producers' work. */
    @Benchmark
    public ByteBuffer copyIn() {
        return ring.slice(nextSlot(), messageBytes).put(message);
    }
}
