package dev.forklift.bench.queue;

import dev.forklift.bench.RoundTrips;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueClosedException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The child-process sides of the queue cases. Each is a public task class run in its own JVM. */
public final class QueueTasks {
    /** Consumers report progress in steps of this many items (a shared-memory counter the parent samples). */
    static final int REPORT_EVERY = 64;

    private QueueTasks() {
    }

    /**
     * Puts an array of {@code arg 1} bytes into {@code arg 0} until the queue is closed: with {@link Queue#put}
     * when {@code arg 2} is 1, else with {@link Queue#putAll} in runs of {@code arg 2}.
     */
    public static final class BytesProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> queue = context.arg(0, Queue.class);
            final byte[] message = new byte[context.arg(1, Integer.class)];
            Arrays.fill(message, (byte) 'x');
            final int batch = context.arg(2, Integer.class);
            final List<byte[]> run = Collections.nCopies(batch, message);
            try {
                if (batch == 1) {
                    while (true) {
                        queue.put(message);
                    }
                }
                while (true) {
                    queue.putAll(run);
                }
            } catch (final QueueClosedException ex) {
                // the parent ended the run
            }
        }
    }

    /** Puts a new {@link Reading} per message into {@code arg 0} until the queue is closed. */
    public static final class ReadingProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Reading> queue = context.arg(0, Queue.class);
            long id = 0;
            try {
                while (true) {
                    queue.put(new Reading(id++, 21.5, "sensor-17"));
                }
            } catch (final QueueClosedException ex) {
                // the parent ended the run
            }
        }
    }

    /**
     * Takes from {@code arg 0} until the end of the stream, counting items in its progress counter: with
     * {@link Queue#take} when {@code arg 1} is 1, else with {@link Queue#takeInto} in runs of up to {@code arg 1}.
     */
    public static final class CountingConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final int batch = context.arg(1, Integer.class);
            long sink = 0;
            int pending = 0;
            try {
                final List<Object> taken = new ArrayList<>(batch);
                while (batch > 1) {
                    taken.clear();
                    pending += queue.takeInto(taken, batch);
                    for (final Object item : taken) {
                        sink += weight(item);
                    }
                    if (pending >= REPORT_EVERY) {
                        context.addItemsDone(pending);
                        pending = 0;
                    }
                }
                while (true) {
                    final Object item = queue.take();
                    sink += weight(item);
                    if (++pending == REPORT_EVERY) {
                        context.addItemsDone(pending);
                        pending = 0;
                    }
                }
            } catch (final EndOfStreamException ex) {
                context.state(sink == 42 ? "done." : "done");
            }
        }
    }

    /** A cheap use of a taken item, so that the JIT cannot drop the decoding; no identity hash. */
    static long weight(final Object item) {
        if (item instanceof byte[]) {
            return ((byte[]) item).length;
        }
        if (item instanceof Reading) {
            return ((Reading) item).id();
        }
        return 1;
    }

    /** Echoes every message of {@code arg 0} into {@code arg 1} until the end of the stream. */
    public static final class Echo implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> ping = context.arg(0, Queue.class);
            final Queue<byte[]> pong = context.arg(1, Queue.class);
            try {
                while (true) {
                    pong.put(ping.take());
                }
            } catch (final EndOfStreamException | QueueClosedException ex) {
                // the parent ended the run
            }
        }
    }

    /**
     * Sends 16-byte pings on {@code arg 0} and waits for each pong on {@code arg 1}: {@code arg 3} warm-up round
     * trips, then {@code arg 4} timed ones; puts {@code "median_ns p99_ns"} on {@code arg 2}.
     */
    public static final class Pinger implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> ping = context.arg(0, Queue.class);
            final Queue<byte[]> pong = context.arg(1, Queue.class);
            final Queue<String> result = context.arg(2, Queue.class);
            final byte[] message = new byte[16];
            final RoundTrips rtts = RoundTrips.time(context.arg(3, Integer.class), context.arg(4, Integer.class), () -> {
                ping.put(message);
                pong.take();
            });
            result.put(rtts.medianNs() + " " + rtts.p99Ns());
        }
    }

    /** Waits on the empty queue {@code arg 0} until the end of the stream (at most {@code arg 1} seconds). */
    public static final class IdleConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            try {
                queue.poll(context.arg(1, Integer.class), TimeUnit.SECONDS);
            } catch (final EndOfStreamException ex) {
                // the parent ended the run
            }
        }
    }
}
