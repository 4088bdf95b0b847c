package dev.forklift.bench.queue;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.Queue;
import dev.forklift.sync.SharedBarrier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The child-process sides of the end-to-end queue cases: a fixed count of messages from the first put to the last
 * take, JIT warm-up included, as the Python peers are timed. As there, every process first waits at a barrier with
 * the parent (a {@link SharedBarrier}, the counterpart of {@code multiprocessing.Barrier}), so the run starts once all
 * of them are up: a consumer that starts later than its producer is not timed as queue throughput. Each side puts its
 * {@link System#nanoTime()} (the
 * system-wide monotonic clock on Linux, comparable between processes of one machine) on the times queue: the
 * producer {@code "first <ns>"} right before its first put, the consumer {@code "last <ns>"} right after its last
 * take.
 */
public final class EndToEndTasks {
    /** The kinds of work, as in the sampled cases. */
    static final int BYTES = 0;
    static final int IN_PLACE = 1;
    static final int RECORDS = 2;
    static final boolean PHASES = Boolean.getBoolean("forklift.bench.phases");

    private EndToEndTasks() {
    }

    /**
     * Puts {@code arg 5} messages into {@code arg 0} and returns. {@code arg 1}: the times queue; {@code arg 2}:
     * message bytes; {@code arg 3}: run length (1 for single operations); {@code arg 4}: {@link #BYTES},
     * {@link #IN_PLACE} or {@link #RECORDS}; {@code arg 6}: the start barrier.
     */
    public static final class Producer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void run(final TaskContext context) throws Exception {
            final Queue queue = context.arg(0, Queue.class);
            final Queue<String> times = context.arg(1, Queue.class);
            final int messageBytes = context.arg(2, Integer.class);
            final int batch = context.arg(3, Integer.class);
            final int kind = context.arg(4, Integer.class);
            final long count = context.arg(5, Long.class);
            final SharedBarrier start = context.arg(6, SharedBarrier.class);
            final byte[] message = new byte[messageBytes];
            for (int i = 0; i < messageBytes; i++) {
                message[i] = (byte) (i * 31 + 7);
            }
            final MessageWriter writer = slot -> slot.put(message).position();
            final List<byte[]> run = Collections.nCopies(batch, message);
            start.await();
            final long first = System.nanoTime();
            long left = count;
            while (left > 0) {
                final int n = (int) Math.min(batch, left);
                if (kind == RECORDS) {
                    queue.put(new Reading(left, 21.5, "sensor-17"));
                } else if (kind == IN_PLACE) {
                    if (n == 1) {
                        queue.putInPlace(messageBytes, writer);
                    } else {
                        queue.putRunInPlace(n, messageBytes, writer);
                    }
                } else if (n == 1) {
                    queue.put(message);
                } else {
                    queue.putAll(n == batch ? run : run.subList(0, n));
                }
                left -= kind == RECORDS ? 1 : n;
            }
            times.put("first " + first);
        }
    }

    /**
     * Takes {@code arg 4} messages from {@code arg 0}, then puts the time of its last take on {@code arg 1}.
     * {@code arg 2}: run length (1 for single operations); {@code arg 3}: {@link #BYTES}, {@link #IN_PLACE} or
     * {@link #RECORDS}; {@code arg 5}: the start barrier.
     */
    public static final class Consumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final Queue<String> times = context.arg(1, Queue.class);
            final int batch = context.arg(2, Integer.class);
            final int kind = context.arg(3, Integer.class);
            final long count = context.arg(4, Long.class);
            final SharedBarrier start = context.arg(5, SharedBarrier.class);
            final InPlaceTasks.Summer summer = new InPlaceTasks.Summer();
            final List<Object> taken = new ArrayList<>(batch);
            long sink = 0;
            long left = count;
            start.await();
            final long t0 = System.nanoTime();
            final long[] marks = new long[16];
            int mark = 0;
            long nextMark = 1;
            while (left > 0) {
                if (PHASES && count - left >= nextMark && mark < marks.length) {
                    marks[mark++] = System.nanoTime();
                    nextMark *= 4;
                }
                final int most = (int) Math.min(batch, left);
                if (kind == IN_PLACE) {
                    left -= most == 1 ? take1(queue, summer) : queue.takeRunInPlace(summer, most);
                } else if (most == 1) {
                    sink += QueueTasks.weight(queue.take());
                    left--;
                } else {
                    taken.clear();
                    left -= queue.takeInto(taken, most);
                    for (final Object item : taken) {
                        sink += QueueTasks.weight(item);
                    }
                }
            }
            final long last = System.nanoTime();
            times.put("last " + last);
            if (PHASES) {
                final StringBuilder b = new StringBuilder("consumer phases (ms from barrier):");
                long at = 1;
                for (int i = 0; i < mark; i++, at *= 4) {
                    b.append(' ').append(at).append('@').append((marks[i] - t0) / 100_000 / 10.0);
                }
                b.append(" end@").append((last - t0) / 100_000 / 10.0);
                System.err.println(b);
            }
            context.state(sink + summer.sum == 42 ? "done." : "done");
        }

        private static int take1(final Queue<?> queue, final InPlaceTasks.Summer summer) throws InterruptedException {
            queue.takeInPlace(summer);
            return 1;
        }
    }

    /** @return the elapsed nanoseconds from the earliest "first" to the latest "last" of these lines. */
    static long elapsedNs(final List<String> lines) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (final String line : lines) {
            final String[] parts = line.split(" ");
            final long ns = Long.parseLong(parts[1]);
            if (parts[0].equals("first")) {
                first = Math.min(first, ns);
            } else {
                last = Math.max(last, ns);
            }
        }
        if (first == Long.MAX_VALUE || last == Long.MIN_VALUE) {
            throw new IllegalStateException("missing times: " + Arrays.toString(lines.toArray()));
        }
        return last - first;
    }
}
