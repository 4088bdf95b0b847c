package dev.forklift.bench.queue;

import dev.forklift.codec.internal.BuiltInCodecs;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.QueueClosedException;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.queue.internal.SharedQueue;

import java.util.concurrent.TimeUnit;

/**
 * The in-process reference of the zero-copy cases: the same queue layout, operations and work per message as
 * {@link InPlaceTasks} (the producer copies a prepared array into each slot, the consumer sums every long in
 * place), between two threads of this JVM instead of two processes. What it reaches in the same minutes is what
 * the machine allows two processes on two cores, with no process boundary at all.
 */
final class InPlacePair {
    /** The warm-up and sampling times of the cross-process cases. */
    private static final long WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(QueueThroughputCase.WARMUP_MS);
    private static final long MEASURE_NS = TimeUnit.MILLISECONDS.toNanos(QueueThroughputCase.MEASURE_MS);

    private InPlacePair() {
    }

    /**
     * @param messageBytes the message size.
     * @param slots        the queue capacity.
     * @param runLength    1 for single operations, else the run length of both sides.
     * @return messages per second taken by the consumer thread.
     * @throws InterruptedException if interrupted.
     */
    static double messagesPerSecond(final int messageBytes, final int slots, final int runLength)
        throws InterruptedException {
        final SharedQueue<byte[]> queue = SharedQueue.inMemory("bench-pair", slots, messageBytes,
            BuiltInCodecs.Bytes.INSTANCE, WaitStrategy.defaultStrategy());
        final byte[] message = new byte[messageBytes];
        for (int i = 0; i < messageBytes; i++) {
            message[i] = (byte) (i * 31 + 7);
        }
        final MessageWriter writer = slot -> slot.put(message).position();
        final Thread producer = new Thread(() -> {
            try {
                while (true) {
                    if (runLength == 1) {
                        queue.putInPlace(messageBytes, writer);
                    } else {
                        queue.putRunInPlace(runLength, messageBytes, writer);
                    }
                }
            } catch (final QueueClosedException ex) {
                // measurement over
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "bench-pair-producer");
        producer.setDaemon(true);
        producer.start();
        final InPlaceTasks.Summer summer = new InPlaceTasks.Summer();
        try {
            final long warmEnd = System.nanoTime() + WARMUP_NS;
            while (System.nanoTime() < warmEnd) {
                take(queue, summer, runLength);
            }
            long count = 0;
            final long start = System.nanoTime();
            long now;
            do {
                for (int i = 0; i < 64; i++) {
                    count += take(queue, summer, runLength);
                }
                now = System.nanoTime();
            } while (now - start < MEASURE_NS);
            if (summer.sum == 42) {
                System.out.print("");
            }
            return count * 1e9 / (now - start);
        } finally {
            queue.close();
            try {
                while (true) {
                    take(queue, summer, runLength);
                }
            } catch (final EndOfStreamException ex) {
                producer.join();
            }
        }
    }

    private static int take(final SharedQueue<byte[]> queue, final InPlaceTasks.Summer summer, final int runLength)
        throws InterruptedException {
        if (runLength == 1) {
            queue.takeInPlace(summer);
            return 1;
        }
        return queue.takeRunInPlace(summer, runLength);
    }
}
