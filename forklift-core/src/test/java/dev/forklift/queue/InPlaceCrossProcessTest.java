package dev.forklift.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zero-copy operations between real child JVMs: messages written in place by producer processes and read in
 * place by consumer processes, callbacks that throw on both sides, and processes that die inside a callback while
 * holding a slot.
 */
@ProcessDeadline(seconds = 120)
class InPlaceCrossProcessTest {
    private static final Duration JOIN = Duration.ofSeconds(90);
    /** Producers make a first, failing attempt at every message whose index is a multiple of this. */
    private static final int WRITER_FAILS_EVERY = 97;
    /** Consumers' readers throw after reading every message whose running count is a multiple of this. */
    private static final int READER_FAILS_EVERY = 50;

    /**
     * Writes the messages of {@code CrossProcessQueueTest.messages(arg 1, arg 2, ...)} into {@code arg 0} in place,
     * with {@link Queue#putInPlace} when {@code arg 3} is false, else with {@link Queue#putRunInPlace} in runs of 1
     * to 40. Every {@value #WRITER_FAILS_EVERY}th message is first attempted by a writer that fills the slot with
     * garbage and throws; then it is written again.
     */
    public static final class InPlaceProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final long seed = context.arg(1, Long.class);
            final List<byte[]> messages = CrossProcessQueueTest.messages(seed, context.arg(2, Integer.class),
                queue.maxMessageBytes());
            final boolean runs = context.arg(3, Boolean.class);
            final boolean[] failedOnce = new boolean[messages.size()];
            final SplittableRandom random = new SplittableRandom(seed);
            final int[] cursor = {0};
            final MessageWriter writer = slot -> {
                final int index = cursor[0];
                final byte[] message = messages.get(index);
                if (index % WRITER_FAILS_EVERY == 0 && !failedOnce[index]) {
                    failedOnce[index] = true;
                    while (slot.hasRemaining()) {
                        slot.put((byte) 0x5A);
                    }
                    throw new IllegalStateException("writer failed on message " + index);
                }
                cursor[0]++;
                return slot.put(message).position();
            };
            while (cursor[0] < messages.size()) {
                try {
                    if (runs) {
                        queue.putRunInPlace(Math.min(messages.size() - cursor[0], 1 + random.nextInt(40)),
                            queue.maxMessageBytes(), writer);
                    } else {
                        queue.putInPlace(messages.get(cursor[0]).length, writer);
                    }
                } catch (final IllegalStateException expected) {
                    context.addItemsDone(1);
                }
            }
        }
    }

    /**
     * Reads {@code arg 0} in place until the end of the stream, with {@link Queue#takeInPlace} when {@code arg 2} is
     * false, else with {@link Queue#takeRunInPlace} in runs of up to 16; checks every message's checksum in the slot
     * and puts {count, checksum sum, bad, reader failures} on {@code arg 1}. The reader throws after every
     * {@value #READER_FAILS_EVERY}th message it has accounted for.
     */
    public static final class InPlaceConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final Queue<long[]> report = context.arg(1, Queue.class);
            final boolean runs = context.arg(2, Boolean.class);
            final long[] totals = new long[4];
            final MessageReader reader = view -> {
                final long crc = view.getLong(0);
                final CRC32 actual = new CRC32();
                actual.update(view.position(Long.BYTES));
                if (crc != actual.getValue()) {
                    totals[2]++;
                }
                totals[0]++;
                totals[1] += crc;
                if (totals[0] % READER_FAILS_EVERY == 0) {
                    throw new IllegalArgumentException("reader failed after message " + totals[0]);
                }
            };
            while (true) {
                try {
                    if (runs) {
                        queue.takeRunInPlace(reader, 16);
                    } else {
                        queue.takeInPlace(reader);
                    }
                } catch (final IllegalArgumentException expected) {
                    totals[3]++;
                } catch (final EndOfStreamException ex) {
                    break;
                }
            }
            report.put(totals);
        }
    }

    /** Writes {@code arg 1} numbered messages into {@code arg 0} in place, then dies inside the writer of the next. */
    public static final class DyingWriter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            final int count = context.arg(1, Integer.class);
            for (int i = 0; i < count; i++) {
                final int number = i;
                queue.putInPlace(Integer.BYTES, slot -> slot.putInt(number).position());
            }
            queue.putInPlace(Integer.BYTES, slot -> {
                slot.put((byte) 1);
                Runtime.getRuntime().halt(137);
                return 1;
            });
        }
    }

    /** Reads {@code arg 0} in place and dies inside the reader of the first message. */
    public static final class DyingReader implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<?> queue = context.arg(0, Queue.class);
            queue.takeInPlace(view -> Runtime.getRuntime().halt(137));
        }
    }

    @Test
    void shouldCarryEveryMessageIntactBetweenInPlaceProducerAndConsumerProcessesWhoseCallbacksThrow()
        throws Exception {
        final int count = 8_000;
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("in-place").capacity(64).maxMessageBytes(1024)
                 .build();
             Queue<long[]> report = Queue.builder(long[].class).name("in-place-report").capacity(4).build()) {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                ChildProcess.builder(InPlaceConsumer.class).role("consumer").args(queue, report, false),
                ChildProcess.builder(InPlaceConsumer.class).role("consumer").args(queue, report, true),
                ChildProcess.builder(InPlaceProducer.class).role("producer").args(queue, 1L, count, false),
                ChildProcess.builder(InPlaceProducer.class).role("producer").args(queue, 2L, count, true));
            try {
                children.get(2).joinAndCheck(JOIN);
                children.get(3).joinAndCheck(JOIN);
                queue.close();
                children.get(0).joinAndCheck(JOIN);
                children.get(1).joinAndCheck(JOIN);
                final int writerFailures = (count + WRITER_FAILS_EVERY - 1) / WRITER_FAILS_EVERY;
                assertThat(children.get(2).itemsDone()).as("failed writers, single puts").isEqualTo(writerFailures);
                assertThat(children.get(3).itemsDone()).as("failed writers, runs").isEqualTo(writerFailures);
            } finally {
                children.forEach(ChildProcess::close);
            }
            long expectedSum = 0;
            for (final long seed : new long[] {1, 2}) {
                for (final byte[] message : CrossProcessQueueTest.messages(seed, count, queue.maxMessageBytes())) {
                    expectedSum += ByteBuffer.wrap(message).getLong();
                }
            }
            final long[] first = report.poll();
            final long[] second = report.poll();
            assertThat(first[0] + second[0]).as("messages read").isEqualTo(2L * count);
            assertThat(first[1] + second[1]).as("checksum sum").isEqualTo(expectedSum);
            assertThat(first[2] + second[2]).as("bad checksums").isZero();
            assertThat(first[3]).as("reader failures, consumer 1").isEqualTo(first[0] / READER_FAILS_EVERY);
            assertThat(second[3]).as("reader failures, consumer 2").isEqualTo(second[0] / READER_FAILS_EVERY);
            assertThat(((SharedQueue<byte[]>) queue).abortedCount()).as("aborted slots")
                .isGreaterThanOrEqualTo(2L * ((count + WRITER_FAILS_EVERY - 1) / WRITER_FAILS_EVERY));
        }
    }

    @Test
    void shouldSkipTheSlotOfAProducerThatDiedInsideItsWriter() throws Exception {
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("in-place-torn").capacity(16).maxMessageBytes(8)
            .repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess dying = ChildProcess.builder(DyingWriter.class).role("producer").args(queue, 5)
                .start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted inside its writer").isEqualTo(137);
            queue.putInPlace(8, slot -> slot.put("after".getBytes(StandardCharsets.UTF_8)).position());
            final List<String> read = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                assertThat(queue.pollInPlace(view -> read.add(view.remaining() == Integer.BYTES
                    ? Integer.toString(view.getInt(0)) : StandardCharsets.UTF_8.decode(view).toString()),
                    30, TimeUnit.SECONDS)).as("message %d after %s", i, read).isTrue();
            }
            assertThat(read).containsExactly("0", "1", "2", "3", "4", "after");
            assertThat(((SharedQueue<byte[]>) queue).tornCount()).isEqualTo(1);
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void shouldFreeTheSlotOfAConsumerThatDiedInsideItsReader() throws Exception {
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("in-place-abandoned").capacity(2)
            .maxMessageBytes(8).repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess dying = ChildProcess.builder(DyingReader.class).role("consumer").args(queue).start();
            queue.put(new byte[] {1});
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted inside its reader").isEqualTo(137);
            queue.putInPlace(1, slot -> slot.put((byte) 2).position());
            queue.putInPlace(1, slot -> slot.put((byte) 3).position()); // the dead reader's slot: repaired first
            assertThat(((SharedQueue<byte[]>) queue).abandonedCount()).isEqualTo(1);
            final List<Byte> read = new ArrayList<>();
            queue.close();
            while (true) {
                try {
                    queue.takeInPlace(view -> read.add(view.get(0)));
                } catch (final EndOfStreamException ex) {
                    break;
                }
            }
            assertThat(read).containsExactly((byte) 2, (byte) 3);
        }
    }
}
