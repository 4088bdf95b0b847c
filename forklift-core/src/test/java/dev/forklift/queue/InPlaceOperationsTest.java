package dev.forklift.queue;

import dev.forklift.queue.internal.SharedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The zero-copy operations: writing into a claimed slot and reading a message where it lies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InPlaceOperationsTest {
    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final ByteBuffer view) {
        final byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    private static Queue<byte[]> bytesQueue(final int capacity) {
        return Queue.builder(byte[].class).capacity(capacity).maxMessageBytes(64).build();
    }

    private static long aborted(final Queue<?> queue) {
        return ((SharedQueue<?>) queue).abortedCount();
    }

    @Test
    void shouldMixInPlaceAndOrdinaryOperationsOnABytesQueue() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            queue.putInPlace(10, slot -> slot.put(bytes("hello")).position());
            queue.put(bytes("world"));
            assertThat(queue.take()).isEqualTo(bytes("hello"));
            final List<String> read = new ArrayList<>();
            queue.takeInPlace(view -> {
                assertThat(view.position()).isZero();
                assertThat(view.limit()).isEqualTo(5);
                assertThat(view.capacity()).isEqualTo(5);
                assertThat(view.isReadOnly()).isTrue();
                read.add(text(view));
            });
            assertThat(read).containsExactly("world");
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    void shouldGiveTheWriterAZeroBasedViewOfTheRequestedRoomAndPublishTheReturnedLength() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            queue.putInPlace(40, slot -> {
                assertThat(slot.position()).isZero();
                assertThat(slot.capacity()).isEqualTo(40);
                assertThat(slot.isReadOnly()).isFalse();
                slot.put(2, (byte) 'c').put(0, (byte) 'a').put(1, (byte) 'b');
                return 3;
            });
            queue.putInPlace(0, slot -> 0);
            assertThat(queue.take()).isEqualTo(bytes("abc"));
            assertThat(queue.take()).isEmpty();
        }
    }

    @Test
    void shouldRefuseWritesThroughTheReadView() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            queue.put(bytes("keep"));
            assertThatThrownBy(() -> queue.takeInPlace(view -> view.put(0, (byte) 'x')))
                .isInstanceOf(ReadOnlyBufferException.class);
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    void shouldPublishAnAbortedSlotWhenTheWriterThrowsAndDeliverTheNextMessage() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            assertThatThrownBy(() -> queue.putInPlace(8, slot -> {
                slot.put(bytes("torn"));
                throw new IllegalStateException("writer failed");
            })).isInstanceOf(IllegalStateException.class).hasMessage("writer failed");
            queue.putInPlace(8, slot -> slot.put(bytes("next")).position());
            assertThat(queue.take()).isEqualTo(bytes("next"));
            assertThat(queue.poll()).isNull();
            assertThat(aborted(queue)).isEqualTo(1);
        }
    }

    @Test
    void shouldAbortTheSlotWhenTheWriterReturnsALengthOutOfRange() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            assertThatThrownBy(() -> queue.putInPlace(8, slot -> 9)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("length=9");
            assertThatThrownBy(() -> queue.putInPlace(8, slot -> -1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("length=-1");
            assertThat(queue.poll()).isNull();
            assertThat(aborted(queue)).isEqualTo(2);
        }
    }

    @Test
    void shouldReleaseTheSlotWhenTheReaderThrows() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(2)) {
            queue.put(bytes("first"));
            queue.put(bytes("second"));
            assertThatThrownBy(() -> queue.takeInPlace(view -> {
                throw new IllegalArgumentException("reader failed on " + text(view));
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("reader failed on first");
            assertThat(queue.offer(bytes("third"))).as("the slot of the failed read is free again").isTrue();
            final List<String> read = new ArrayList<>();
            queue.takeInPlace(view -> read.add(text(view)));
            queue.takeInPlace(view -> read.add(text(view)));
            assertThat(read).containsExactly("second", "third");
        }
    }

    @Test
    void shouldFailFastOnBadArguments() {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            assertThatThrownBy(() -> queue.putInPlace(-1, slot -> 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLengthBytes=-1");
            assertThatThrownBy(() -> queue.putInPlace(65, slot -> 0)).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("65 bytes").hasMessageContaining("maxMessageBytes=64");
            assertThatThrownBy(() -> queue.putInPlace(1, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("writer");
            assertThatThrownBy(() -> queue.putRunInPlace(-2, 1, slot -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=-2");
            assertThatThrownBy(() -> queue.takeInPlace(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("reader");
            assertThatThrownBy(() -> queue.takeRunInPlace(view -> { }, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxItems=0");
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    void shouldNotCallTheCallbacksWhenTheWaitTimesOut() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(2)) {
            final AtomicInteger calls = new AtomicInteger();
            assertThat(queue.pollInPlace(view -> calls.incrementAndGet(), 0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(queue.pollInPlace(view -> calls.incrementAndGet(), 5, TimeUnit.MILLISECONDS)).isFalse();
            queue.put(bytes("a"));
            queue.put(bytes("b"));
            assertThat(queue.offerInPlace(1, slot -> calls.incrementAndGet(), 0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(queue.offerInPlace(1, slot -> calls.incrementAndGet(), 5, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(calls).hasValue(0);
            assertThat(queue.pollInPlace(view -> calls.incrementAndGet(), 0, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(queue.offerInPlace(1, slot -> calls.incrementAndGet() - 1, 0, TimeUnit.MILLISECONDS))
                .isTrue();
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void shouldAnswerAnInterruptWhileWaitingWithoutCallingTheCallbacks() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(2)) {
            final AtomicInteger calls = new AtomicInteger();
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> queue.takeInPlace(view -> calls.incrementAndGet()))
                .isInstanceOf(InterruptedException.class);
            queue.put(bytes("a"));
            queue.put(bytes("b"));
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> queue.putInPlace(1, slot -> calls.incrementAndGet()))
                .isInstanceOf(InterruptedException.class);
            assertThat(calls).hasValue(0);
            assertThat(Thread.interrupted()).isFalse();
        }
    }

    @Test
    void shouldPublishAMessageWhoseWriterRanWhileTheQueueWasClosedThenEndTheStream() throws Exception {
        final Queue<byte[]> queue = bytesQueue(4);
        queue.putInPlace(8, slot -> {
            queue.close();
            return slot.put(bytes("last")).position();
        });
        final AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> queue.putInPlace(8, slot -> calls.incrementAndGet()))
            .isInstanceOf(QueueClosedException.class);
        final List<String> read = new ArrayList<>();
        queue.takeInPlace(view -> read.add(text(view)));
        assertThat(read).containsExactly("last");
        assertThatThrownBy(() -> queue.takeInPlace(view -> calls.incrementAndGet()))
            .isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(() -> queue.takeRunInPlace(view -> calls.incrementAndGet(), 4))
            .isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(() -> queue.pollInPlace(view -> calls.incrementAndGet(), 0, TimeUnit.SECONDS))
            .isInstanceOf(EndOfStreamException.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void shouldReadARunInOrderWithOneClaimAndSkipAbortedSlots() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(8)) {
            queue.put(bytes("a"));
            assertThatThrownBy(() -> queue.putInPlace(1, slot -> {
                throw new IllegalStateException("skip me");
            })).isInstanceOf(IllegalStateException.class);
            queue.putAll(List.of(bytes("b"), bytes("c")));
            final List<String> read = new ArrayList<>();
            assertThat(queue.takeRunInPlace(view -> read.add(text(view)), 10)).isEqualTo(3);
            assertThat(read).containsExactly("a", "b", "c");
        }
    }

    @Test
    void shouldHandEveryMessageOfARunToTheReaderWhenItThrowsThenThrowTheFirstFailure() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(8)) {
            queue.putAll(List.of(bytes("a"), bytes("b"), bytes("c"), bytes("d")));
            final List<String> read = new ArrayList<>();
            assertThatThrownBy(() -> queue.takeRunInPlace(view -> {
                final String message = text(view);
                read.add(message);
                if (message.equals("b") || message.equals("c")) {
                    throw new IllegalStateException("reader failed on " + message);
                }
            }, 8)).isInstanceOf(IllegalStateException.class).hasMessage("reader failed on b")
                .satisfies(ex -> assertThat(ex.getSuppressed()).hasSize(1));
            assertThat(read).containsExactly("a", "b", "c", "d");
            assertThat(queue.size()).isZero();
            queue.putAll(List.of(bytes("e"), bytes("f"), bytes("g"), bytes("h"), bytes("i"), bytes("j"),
                bytes("k"), bytes("l")));
            assertThat(queue.size()).as("every slot of the failed run was released").isEqualTo(8);
        }
    }

    @Test
    void shouldWriteRunsAcrossWrapAroundAndAbortTheRestOfARunWhenTheWriterThrows() throws Exception {
        try (Queue<byte[]> queue = Queue.builder(byte[].class).capacity(512).maxMessageBytes(8).build()) {
            final AtomicInteger next = new AtomicInteger();
            queue.putRunInPlace(300, 8, slot -> slot.putInt(next.getAndIncrement()).position());
            final List<Integer> read = new ArrayList<>();
            while (read.size() < 300) {
                queue.takeRunInPlace(view -> read.add(view.getInt(0)), 64);
            }
            for (int i = 0; i < 300; i++) {
                assertThat(read.get(i)).isEqualTo(i);
            }
            read.clear();
            next.set(0);
            assertThatThrownBy(() -> queue.putRunInPlace(5, 8, slot -> {
                final int i = next.getAndIncrement();
                if (i == 2) {
                    throw new IllegalStateException("writer failed at 2");
                }
                return slot.putInt(i).position();
            })).isInstanceOf(IllegalStateException.class);
            assertThat(next).as("no message written after the failure").hasValue(3);
            queue.putRunInPlace(0, 8, slot -> {
                throw new AssertionError("never called for a count of 0");
            });
            queue.takeRunInPlace(view -> read.add(view.getInt(0)), 64);
            assertThat(read).containsExactly(0, 1);
            assertThat(aborted(queue)).isEqualTo(3);
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void shouldDeliverEveryMessageExactlyOnceWithInPlaceProducersAndConsumersRacing() throws Exception {
        final int producers = 3;
        final int perProducer = 30_000;
        final ExecutorService threads = Executors.newFixedThreadPool(producers + 3);
        try (Queue<byte[]> queue = Queue.builder(byte[].class).capacity(16).maxMessageBytes(16).build()) {
            final List<Future<List<Long>>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                final int kind = c;
                consumers.add(threads.submit(() -> {
                    final List<Long> taken = new ArrayList<>();
                    try {
                        while (true) {
                            if (kind == 0) {
                                queue.takeInPlace(view -> taken.add(view.getLong(0)));
                            } else if (kind == 1) {
                                queue.takeRunInPlace(view -> taken.add(view.getLong(0)), 7);
                            } else {
                                taken.add(java.nio.ByteBuffer.wrap(queue.take()).getLong());
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
                final boolean runs = p % 2 == 0;
                puts.add(threads.submit(() -> {
                    final AtomicInteger next = new AtomicInteger();
                    for (int i = 0; i < perProducer; i += 10) {
                        if (runs) {
                            queue.putRunInPlace(10, 16, slot -> slot.putLong(base | next.getAndIncrement())
                                .position());
                        } else {
                            for (int j = 0; j < 10; j++) {
                                queue.putInPlace(8, slot -> slot.putLong(base | next.getAndIncrement()).position());
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
                final long[] last = {-1, -1, -1};
                for (final long item : consumer.get()) {
                    final int producer = (int) (item >>> 32);
                    final int index = (int) item;
                    assertThat(seen[producer].get(index)).as("duplicate %d/%d", producer, index).isFalse();
                    assertThat(index).as("order within one producer").isGreaterThan((int) last[producer]);
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

    @Test
    void anItemStillBeingWrittenIsCountedBySizeButIsNotReadyToTakeAndNeitherIsAnAbortedOne() throws Exception {
        try (Queue<byte[]> queue = bytesQueue(4)) {
            assertThat(queue.hasItemReady()).isFalse();
            final java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
            final java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
            final ExecutorService producer = Executors.newSingleThreadExecutor();
            try {
                final Future<?> put = producer.submit(() -> {
                    queue.putInPlace(10, slot -> {
                        writing.countDown();
                        try {
                            finish.await();
                        } catch (final InterruptedException ex) {
                            throw new IllegalStateException(ex);
                        }
                        return slot.put(bytes("late")).position();
                    });
                    return null;
                });
                assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(queue.size()).as("the claimed slot is counted").isEqualTo(1);
                assertThat(queue.hasItemReady()).as("a take would wait for the write").isFalse();
                queue.put(bytes("behind"));
                assertThat(queue.hasItemReady()).as("published, but behind the one being written").isFalse();
                finish.countDown();
                put.get(30, TimeUnit.SECONDS);
                assertThat(queue.hasItemReady()).isTrue();
                assertThat(queue.take()).isEqualTo(bytes("late"));
                assertThat(queue.hasItemReady()).isTrue();
                assertThat(queue.take()).isEqualTo(bytes("behind"));
                assertThat(queue.hasItemReady()).isFalse();
            } finally {
                finish.countDown();
                producer.shutdownNow();
            }
            assertThatThrownBy(() -> queue.putInPlace(10, slot -> {
                throw new IllegalStateException("no message");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(queue.size()).as("the aborted slot waits for a take to skip it").isEqualTo(1);
            assertThat(queue.hasItemReady()).as("an aborted slot is no item").isFalse();
            queue.put(bytes("after"));
            assertThat(queue.hasItemReady()).as("the item after the aborted slot").isTrue();
            assertThat(queue.take()).isEqualTo(bytes("after"));
        }
    }
}
