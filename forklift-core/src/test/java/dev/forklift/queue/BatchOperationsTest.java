package dev.forklift.queue;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.codec.Codecs;
import dev.forklift.queue.internal.SharedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Queue#putAll}, {@link Queue#drainTo} and {@link Queue#takeInto}: order, wrap-around, failures, races. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchOperationsTest {
    /** Encodes strings as UTF-8 but refuses the string "bad". */
    static final class PickyCodec implements Codec<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() {
            return "test.picky";
        }

        @Override
        public void encode(final String value, final ByteBuffer target) {
            if (value.equals("bad")) {
                throw new CodecException("refused: " + value);
            }
            Codecs.utf8().encode(value, target);
        }

        @Override
        public String decode(final ByteBuffer source) {
            final String value = Codecs.utf8().decode(source);
            if (value.equals("undecodable")) {
                throw new CodecException("cannot decode: " + value);
            }
            return value;
        }
    }

    private static List<Long> range(final long from, final long to) {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void shouldPutAndDrainRunsInOrderAcrossWrapAround() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).capacity(8).maxMessageBytes(8).build()) {
            final List<Long> taken = new ArrayList<>();
            for (int lap = 0; lap < 10; lap++) {
                queue.putAll(range(lap * 5L, lap * 5L + 5));
                assertThat(queue.drainTo(taken, 3)).isEqualTo(3);
                assertThat(queue.drainTo(taken, 100)).isEqualTo(2);
                assertThat(queue.drainTo(taken, 100)).isZero();
            }
            assertThat(taken).isEqualTo(range(0, 50));
        }
    }

    @Test
    void shouldWaitWhileFullWhenPuttingMoreThanTheCapacity() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).capacity(4).maxMessageBytes(8).build()) {
            final ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                final Future<?> producer = thread.submit(() -> {
                    queue.putAll(range(0, 1000));
                    return null;
                });
                final List<Long> taken = new ArrayList<>();
                while (taken.size() < 1000) {
                    queue.takeInto(taken, 7);
                }
                producer.get();
                assertThat(taken).isEqualTo(range(0, 1000));
            } finally {
                thread.shutdownNow();
            }
        }
    }

    @Test
    void shouldCheckEveryItemBeforePuttingAny() {
        try (Queue<byte[]> queue = Queue.builder(byte[].class).capacity(8).maxMessageBytes(4).build()) {
            assertThatThrownBy(() -> queue.putAll(List.of(new byte[1], new byte[5])))
                .isInstanceOf(MessageTooLargeException.class);
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    void shouldPutEveryOtherItemWhenOneFailsToEncodeThenThrow() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).codec(new PickyCodec()).capacity(16).build()) {
            assertThatThrownBy(() -> queue.putAll(List.of("a", "b", "bad", "c", "d")))
                .isInstanceOf(CodecException.class).hasMessageContaining("refused");
            queue.put("e");
            final List<String> taken = new ArrayList<>();
            queue.drainTo(taken, 100);
            assertThat(taken).containsExactly("a", "b", "c", "d", "e");
            assertThat(((SharedQueue<String>) queue).abortedCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldReleaseEveryClaimedSlotWhenOneItemFailsToDecode() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).codec(new PickyCodec()).capacity(4).build()) {
            queue.putAll(List.of("a", "undecodable", "c", "d"));
            final List<String> taken = new ArrayList<>();
            assertThatThrownBy(() -> queue.drainTo(taken, 10)).isInstanceOf(CodecException.class);
            assertThat(taken).containsExactly("a", "c", "d");
            queue.putAll(List.of("w", "x", "y", "z"));
            taken.clear();
            assertThat(queue.takeInto(taken, 10)).isEqualTo(4);
            assertThat(taken).containsExactly("w", "x", "y", "z");
        }
    }

    @Test
    void shouldSignalEndOfStreamAfterTheLastRun() throws Exception {
        final Queue<Long> queue = Queue.builder(Long.class).capacity(8).maxMessageBytes(8).build();
        queue.putAll(range(0, 3));
        queue.close();
        assertThatThrownBy(() -> queue.putAll(range(0, 1))).isInstanceOf(QueueClosedException.class);
        final List<Long> taken = new ArrayList<>();
        assertThat(queue.takeInto(taken, 10)).isEqualTo(3);
        assertThatThrownBy(() -> queue.drainTo(taken, 10)).isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(() -> queue.takeInto(taken, 10)).isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(() -> queue.drainTo(taken, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDeliverEveryItemExactlyOnceWithBatchAndSingleOperationsRacing() throws Exception {
        final int producers = 4;
        final int perProducer = 40_000;
        final ExecutorService threads = Executors.newFixedThreadPool(producers + 3);
        try (Queue<Long> queue = Queue.builder(Long.class).capacity(16).maxMessageBytes(8).build()) {
            final List<Future<List<Long>>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                final int kind = c;
                consumers.add(threads.submit(() -> {
                    final List<Long> taken = new ArrayList<>();
                    try {
                        while (true) {
                            if (kind == 0) {
                                taken.add(queue.take());
                            } else if (kind == 1) {
                                queue.takeInto(taken, 5);
                            } else if (queue.drainTo(taken, 64) == 0) {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (final EndOfStreamException ex) {
                        return taken;
                    }
                }));
            }
            final List<Future<?>> puts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                final long base = (long) p << 32;
                final boolean batches = p % 2 == 0;
                puts.add(threads.submit(() -> {
                    for (int i = 0; i < perProducer; i += 10) {
                        final List<Long> chunk = new ArrayList<>();
                        for (int j = i; j < i + 10; j++) {
                            chunk.add(base | j);
                        }
                        if (batches) {
                            queue.putAll(chunk);
                        } else {
                            for (final long item : chunk) {
                                queue.put(item);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> put : puts) {
                put.get();
            }
            queue.close();
            final BitSet[] seen = new BitSet[producers];
            for (int p = 0; p < producers; p++) {
                seen[p] = new BitSet(perProducer);
            }
            long total = 0;
            for (final Future<List<Long>> consumer : consumers) {
                final long[] last = new long[producers];
                java.util.Arrays.fill(last, -1);
                for (final long item : consumer.get()) {
                    final int producer = (int) (item >>> 32);
                    final int index = (int) item;
                    assertThat(seen[producer].get(index)).as("duplicate %s", item).isFalse();
                    assertThat(index).as("order within producer %s", producer).isGreaterThan((int) last[producer]);
                    last[producer] = index;
                    seen[producer].set(index);
                    total++;
                }
            }
            assertThat(total).isEqualTo((long) producers * perProducer);
        } finally {
            threads.shutdownNow();
        }
    }
}
