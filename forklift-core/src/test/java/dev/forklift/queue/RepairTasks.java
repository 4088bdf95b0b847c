package dev.forklift.queue;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Tasks for the child JVMs of the repair tests: producers and consumers that are expected to die holding slots,
 * at one of the queue's fault points (system properties {@code forklift.fault.queue.*}) or killed from outside.
 */
final class RepairTasks {
    private RepairTasks() {
    }

    /** Puts {@code from, from+1, ... from+count-1}, one at a time. */
    public static final class Counter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            final long from = context.arg(1, Long.class);
            final long count = context.arg(2, Long.class);
            for (long i = 0; i < count; i++) {
                queue.put(from + i);
            }
        }
    }

    /** Puts {@code from, from+1, ... from+count-1} with one {@code putAll}. */
    public static final class BatchPutter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            final long from = context.arg(1, Long.class);
            final long count = context.arg(2, Long.class);
            queue.putAll(LongStream.range(from, from + count).boxed().collect(Collectors.toList()));
        }
    }

    /**
     * Writes {@code 1, 2, ... count} (8-byte big-endian longs) with one {@code putRunInPlace} on a
     * {@code Queue<byte[]>}; its writer never returns from the call that would write {@code stopAt}, so the
     * process holds that slot and the rest of the run until it is killed.
     */
    public static final class InPlaceRunPutter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> queue = context.arg(0, Queue.class);
            final int count = context.arg(1, Integer.class);
            final long stopAt = context.arg(2, Long.class);
            final long[] next = {1};
            queue.putRunInPlace(count, Long.BYTES, slot -> {
                if (next[0] == stopAt) {
                    sleepForEver();
                }
                slot.putLong(next[0]++);
                return Long.BYTES;
            });
        }
    }

    /** Takes items one at a time for ever (it is expected to die at its fault point). */
    public static final class Taker implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            while (true) {
                queue.take();
            }
        }
    }

    /** Takes runs with {@code takeInto} for ever (it is expected to die at its fault point). */
    public static final class BatchTaker implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            final List<Long> sink = new ArrayList<>();
            while (true) {
                sink.clear();
                queue.takeInto(sink, 256);
            }
        }
    }

    /** @return the 8-byte big-endian form of a value, as {@link InPlaceRunPutter} writes it. */
    static byte[] bytesOf(final long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** @return the value of an 8-byte big-endian message. */
    static long valueOf(final byte[] message) {
        return ByteBuffer.wrap(message).getLong();
    }

    private static void sleepForEver() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (final InterruptedException ex) {
                // Held on purpose until killed.
            }
        }
    }
}
