package dev.forklift.bench.queue;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.MessageReader;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueClosedException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The child-process sides of the zero-copy queue cases. The work is the same as a program that produces and
 * consumes bytes would do: the producer writes every byte of every message into its slot, the consumer reads every
 * byte of every message where it lies.
 */
public final class InPlaceTasks {
    private InPlaceTasks() {
    }

    /**
     * Writes messages of {@code arg 1} bytes into {@code arg 0} until the queue is closed, each one copied into its
     * claimed slot from a prepared array: with {@link Queue#putInPlace} when {@code arg 2} is 1, else with
     * {@link Queue#putRunInPlace} in runs of {@code arg 2}.
     */
    public static final class CopyingProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final int messageBytes = context.arg(1, Integer.class);
            final int batch = context.arg(2, Integer.class);
            final byte[] message = new byte[messageBytes];
            for (int i = 0; i < messageBytes; i++) {
                message[i] = (byte) (i * 31 + 7);
            }
            final MessageWriter writer = slot -> slot.put(message).position();
            try {
                if (batch == 1) {
                    while (true) {
                        queue.putInPlace(messageBytes, writer);
                    }
                }
                while (true) {
                    queue.putRunInPlace(batch, messageBytes, writer);
                }
            } catch (final QueueClosedException ex) {
                // the parent ended the run
            }
        }
    }

    /**
     * Reads {@code arg 0} in place until the end of the stream, adding up every 8-byte word of every message (and
     * its last bytes), and counts messages in its progress counter: with {@link Queue#takeInPlace} when
     * {@code arg 1} is 1, else with {@link Queue#takeRunInPlace} in runs of up to {@code arg 1}.
     */
    public static final class SummingConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final int batch = context.arg(1, Integer.class);
            final Summer summer = new Summer();
            int pending = 0;
            try {
                while (batch > 1) {
                    pending += queue.takeRunInPlace(summer, batch);
                    if (pending >= QueueTasks.REPORT_EVERY) {
                        context.addItemsDone(pending);
                        pending = 0;
                    }
                }
                while (true) {
                    queue.takeInPlace(summer);
                    if (++pending == QueueTasks.REPORT_EVERY) {
                        context.addItemsDone(pending);
                        pending = 0;
                    }
                }
            } catch (final EndOfStreamException ex) {
                context.state(summer.sum == 42 ? "done." : "done");
            }
        }
    }

    /** Adds up every long of each message it reads, in native byte order, then its last bytes. */
    static final class Summer implements MessageReader {
        long sum;

        @Override
        public void read(final ByteBuffer message) {
            message.order(ByteOrder.nativeOrder());
            final int length = message.limit();
            long total = 0;
            int i = 0;
            for (; i <= length - Long.BYTES; i += Long.BYTES) {
                total += message.getLong(i);
            }
            for (; i < length; i++) {
                total += message.get(i);
            }
            sum += total;
        }
    }
}
