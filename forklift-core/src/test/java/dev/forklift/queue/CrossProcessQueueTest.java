package dev.forklift.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** Queues between real child JVMs: every claim here crosses a process boundary. */
@ProcessDeadline(seconds = 120)
class CrossProcessQueueTest {
    private static final Duration JOIN = Duration.ofSeconds(90);

    /** Puts {@code count} messages of random length, each starting with the CRC-32 of the rest. */
    public static final class ChecksummedProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> queue = context.arg(0, Queue.class);
            for (final byte[] message : messages(context.arg(1, Long.class), context.arg(2, Integer.class),
                queue.maxMessageBytes())) {
                queue.put(message);
                context.addItemsDone(1);
            }
        }
    }

    /** Takes until the end of the stream, checks every message, reports {count, checksum sum, bad}. */
    public static final class ChecksummingConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> queue = context.arg(0, Queue.class);
            final Queue<long[]> report = context.arg(1, Queue.class);
            long count = 0;
            long sum = 0;
            long bad = 0;
            for (final byte[] message : queue) {
                final long crc = ByteBuffer.wrap(message).getLong();
                if (crc != crc(message, 8)) {
                    bad++;
                }
                count++;
                sum += crc;
            }
            report.put(new long[] {count, sum, bad});
        }
    }

    /** Puts {@code (producerId << 32) | i} for i in 0..count-1. */
    public static final class NumberProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            final long base = (long) context.arg(1, Integer.class) << 32;
            final int count = context.arg(2, Integer.class);
            for (int i = 0; i < count; i++) {
                queue.put(base | i);
            }
        }
    }

    /** Takes until the end of the stream and reports everything it took, in batches. */
    public static final class NumberConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            final Queue<long[]> report = context.arg(1, Queue.class);
            final long[] batch = new long[2048];
            int size = 0;
            for (final long item : queue) {
                batch[size++] = item;
                if (size == batch.length) {
                    report.put(batch.clone());
                    size = 0;
                }
            }
            report.put(java.util.Arrays.copyOf(batch, size));
        }
    }

    /** As {@link ChecksummedProducer}, but puts with {@link Queue#putAll} in runs of 1 to 40 messages. */
    public static final class BatchChecksummedProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> queue = context.arg(0, Queue.class);
            final List<byte[]> messages = messages(context.arg(1, Long.class), context.arg(2, Integer.class),
                queue.maxMessageBytes());
            final SplittableRandom random = new SplittableRandom(context.arg(1, Long.class));
            int next = 0;
            while (next < messages.size()) {
                final int run = Math.min(messages.size() - next, 1 + random.nextInt(40));
                queue.putAll(messages.subList(next, next + run));
                next += run;
            }
        }
    }

    /** As {@link ChecksummingConsumer}, but takes with {@link Queue#takeInto} in runs of up to 32. */
    public static final class BatchChecksummingConsumer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<byte[]> queue = context.arg(0, Queue.class);
            final Queue<long[]> report = context.arg(1, Queue.class);
            long count = 0;
            long sum = 0;
            long bad = 0;
            final List<byte[]> taken = new ArrayList<>();
            try {
                while (true) {
                    taken.clear();
                    queue.takeInto(taken, 32);
                    for (final byte[] message : taken) {
                        final long crc = ByteBuffer.wrap(message).getLong();
                        if (crc != crc(message, 8)) {
                            bad++;
                        }
                        count++;
                        sum += crc;
                    }
                }
            } catch (final EndOfStreamException ex) {
                report.put(new long[] {count, sum, bad});
            }
        }
    }

    /** A record of simple values: the default codec of its queue is the record fast path. */
    public record Sample(long id, double value, String label, byte[] payload, Integer maybe) {
    }

    /** Puts {@code arg 1} samples, every third with nulls, in runs of 7 through {@link Queue#putAll}. */
    public static final class SampleProducer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Sample> queue = context.arg(0, Queue.class);
            final int count = context.arg(1, Integer.class);
            final List<Sample> run = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                run.add(sample(i));
                if (run.size() == 7 || i == count - 1) {
                    queue.putAll(run);
                    run.clear();
                }
            }
        }
    }

    static Sample sample(final int i) {
        return i % 3 == 0 ? new Sample(i, i / 2.0, null, null, null)
            : new Sample(i, i / 2.0, "label-" + i, new byte[] {(byte) i, (byte) (i >> 8)}, i * 7);
    }

    /** Creates a queue it owns, publishes its path, then waits to be killed. */
    public static final class QueueOwner implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<String> queue = Queue.builder(String.class).name("doomed").build();
            Files.writeString(Paths.get(context.arg(0, String.class)), ((SharedQueue<String>) queue).path().toString());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void shouldCarryEveryMessageIntactFromAProducerProcessToAConsumerProcess() throws Exception {
        final long seed = 42;
        final int count = 20_000;
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("checksummed").capacity(256)
                 .maxMessageBytes(2048).build();
             Queue<long[]> report = Queue.builder(long[].class).name("report").capacity(4).build();
             ChildProcess consumer = ChildProcess.builder(ChecksummingConsumer.class).role("consumer")
                 .args(queue, report).start();
             ChildProcess producer = ChildProcess.builder(ChecksummedProducer.class).role("producer")
                 .args(queue, seed, count).start()) {
            producer.joinAndCheck(JOIN);
            queue.close();
            consumer.joinAndCheck(JOIN);

            long expectedSum = 0;
            for (final byte[] message : messages(seed, count, queue.maxMessageBytes())) {
                expectedSum += ByteBuffer.wrap(message).getLong();
            }
            assertThat(report.poll()).containsExactly(count, expectedSum, 0);
            assertThat(producer.itemsDone()).isEqualTo(count);
        }
    }

    @Test
    void shouldCarryBatchesIntactBetweenTwoProducerAndTwoConsumerProcesses() throws Exception {
        final int count = 10_000;
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("batches").capacity(64).maxMessageBytes(512)
                 .build();
             Queue<long[]> report = Queue.builder(long[].class).name("batch-report").capacity(4).build()) {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                ChildProcess.builder(BatchChecksummingConsumer.class).role("consumer").args(queue, report),
                ChildProcess.builder(BatchChecksummingConsumer.class).role("consumer").args(queue, report),
                ChildProcess.builder(BatchChecksummedProducer.class).role("producer").args(queue, 1L, count),
                ChildProcess.builder(BatchChecksummedProducer.class).role("producer").args(queue, 2L, count));
            try {
                children.get(2).joinAndCheck(JOIN);
                children.get(3).joinAndCheck(JOIN);
                queue.close();
                children.get(0).joinAndCheck(JOIN);
                children.get(1).joinAndCheck(JOIN);
            } finally {
                children.forEach(ChildProcess::close);
            }
            long expectedSum = 0;
            for (final long seed : new long[] {1, 2}) {
                for (final byte[] message : messages(seed, count, queue.maxMessageBytes())) {
                    expectedSum += ByteBuffer.wrap(message).getLong();
                }
            }
            final long[] first = report.poll();
            final long[] second = report.poll();
            assertThat(first[0] + second[0]).isEqualTo(2L * count);
            assertThat(first[1] + second[1]).isEqualTo(expectedSum);
            assertThat(first[2] + second[2]).isZero();
        }
    }

    @Test
    void shouldCarryRecordsThroughTheRecordFastPathFromAChildProcess() throws Exception {
        final int count = 5_000;
        try (Queue<Sample> queue = Queue.builder(Sample.class).name("records").capacity(64).maxMessageBytes(256)
                 .build();
             ChildProcess producer = ChildProcess.builder(SampleProducer.class).role("producer")
                 .args(queue, count).start()) {
            assertThat(((SharedQueue<Sample>) queue).codec().id()).isEqualTo("forklift.record");
            for (int i = 0; i < count; i++) {
                final Sample expected = sample(i);
                assertThat(queue.take()).usingRecursiveComparison().isEqualTo(expected);
            }
            producer.joinAndCheck(JOIN);
        }
    }

    @Test
    void shouldDeliverExactlyOnceWithSeveralProducerAndConsumerProcesses() throws Exception {
        final int producers = 3;
        final int consumers = 3;
        final int perProducer = 15_000;
        try (Queue<Long> queue = Queue.builder(Long.class).name("numbers").capacity(64).build();
             Queue<long[]> report = Queue.builder(long[].class).name("batches").capacity(64)
                 .maxMessageBytes(64 * 1024).build()) {
            final List<ChildProcessBuilder> builders = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                builders.add(ChildProcess.builder(NumberConsumer.class).role("consumer").args(queue, report));
            }
            for (int p = 0; p < producers; p++) {
                builders.add(ChildProcess.builder(NumberProducer.class).role("producer").args(queue, p, perProducer));
            }
            final List<ChildProcess> children = ChildProcessBuilder.startAll(builders);
            try {
                for (final ChildProcess producer : children.subList(consumers, children.size())) {
                    producer.joinAndCheck(JOIN);
                }
                queue.close();
                final BitSet[] seen = new BitSet[producers];
                for (int p = 0; p < producers; p++) {
                    seen[p] = new BitSet(perProducer);
                }
                int finalBatches = 0;
                long total = 0;
                while (finalBatches < consumers) {
                    final long[] batch = report.poll(JOIN);
                    assertThat(batch).as("a consumer's report").isNotNull();
                    if (batch.length < 2048) {
                        finalBatches++;
                    }
                    for (final long item : batch) {
                        final int producer = (int) (item >>> 32);
                        final int index = (int) item;
                        assertThat(seen[producer].get(index)).as("duplicate %d/%d", producer, index).isFalse();
                        seen[producer].set(index);
                        total++;
                    }
                }
                for (final ChildProcess consumer : children.subList(0, consumers)) {
                    consumer.joinAndCheck(JOIN);
                }
                assertThat(total).isEqualTo((long) producers * perProducer);
                for (final BitSet producerSeen : seen) {
                    assertThat(producerSeen.cardinality()).isEqualTo(perProducer);
                }
            } finally {
                children.forEach(ChildProcess::close);
            }
        }
    }

    @Test
    void shouldDeleteTheFileAtCloseWhileAttachedChildrenDrainWhatIsLeft() throws Exception {
        final Queue<byte[]> queue = Queue.builder(byte[].class).name("unlinked").capacity(1024).maxMessageBytes(64)
            .build();
        final Path path = ((SharedQueue<byte[]>) queue).path();
        try (Queue<long[]> report = Queue.builder(long[].class).name("report").capacity(4).build();
             ChildProcess consumer = ChildProcess.builder(ChecksummingConsumer.class).role("consumer")
                 .args(queue, report).start()) {
            long expectedSum = 0;
            for (final byte[] message : messages(7, 500, 64)) {
                queue.put(message);
                expectedSum += ByteBuffer.wrap(message).getLong();
            }
            queue.close();
            assertThat(Files.exists(path)).as("file deleted at close").isFalse();
            consumer.joinAndCheck(JOIN);
            assertThat(report.poll()).containsExactly(500, expectedSum, 0);
        }
    }

    @Test
    void shouldReclaimTheFilesOfAKilledOwner() throws Exception {
        final Path pathFile = Files.createTempFile("forklift-queue-path", ".txt");
        try (ChildProcess owner = ChildProcess.builder(QueueOwner.class).role("owner").args(pathFile.toString())
            .start()) {
            Await.until(Duration.ofSeconds(30), () -> pathFile.toFile().length() > 0, () -> "queue path published");
            final Path queueFile = Paths.get(Files.readString(pathFile));
            assertThat(Files.exists(queueFile)).isTrue();
            owner.kill();
            assertThat(owner.signal()).hasValue(9);
            assertThat(Files.exists(queueFile)).as("left behind by kill -9").isTrue();
            SharedMemoryDirectory.current().reclaimStale();
            assertThat(Files.exists(queueFile)).as("reclaimed").isFalse();
        } finally {
            Files.deleteIfExists(pathFile);
        }
    }

    static List<byte[]> messages(final long seed, final int count, final int maxMessageBytes) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<byte[]> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final byte[] message = new byte[8 + random.nextInt(maxMessageBytes - 7)];
            for (int b = 8; b < message.length; b++) {
                message[b] = (byte) random.nextInt(256);
            }
            ByteBuffer.wrap(message).putLong(crc(message, 8));
            messages.add(message);
        }
        return messages;
    }

    static long crc(final byte[] bytes, final int from) {
        final CRC32 crc = new CRC32();
        crc.update(bytes, from, bytes.length - from);
        return crc.getValue();
    }
}
