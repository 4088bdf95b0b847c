package dev.forklift.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer that finds the queue full waits, for a bounded time, until a run of slots is free before it writes
 * again (SlotRing's refill wait). These tests hold it to its two promises: a consumer that frees one slot and then
 * waits for the producer is served (the wait is bounded), and with the wait on a ring large enough to use it
 * (64 slots: runs of 16) every item still arrives exactly once and in each producer's order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullQueueRefillTest {
    private static final int CAPACITY = 64;

    @Test
    void shouldServeAConsumerThatFreesOneSlotAndThenWaitsForTheProducer() throws Exception {
        final ExecutorService threads = Executors.newSingleThreadExecutor();
        try (Queue<Long> queue = Queue.builder(Long.class).capacity(CAPACITY).maxMessageBytes(8).build()) {
            for (long i = 0; i < CAPACITY; i++) {
                queue.put(i);
            }
            final CountDownLatch putAfterFull = new CountDownLatch(1);
            // Each round: the consumer takes one item, then waits for the put it made room for. A producer that
            // waited for a run of 16 free slots without bound would never return from that put.
            final Future<Integer> consumer = threads.submit(() -> {
                int rounds = 0;
                for (; rounds < 200; rounds++) {
                    queue.take();
                    while (queue.size() < CAPACITY) {
                        Thread.onSpinWait();
                    }
                }
                putAfterFull.countDown();
                return rounds;
            });
            for (long i = CAPACITY; i < CAPACITY + 200; i++) {
                queue.put(i);
            }
            assertThat(putAfterFull.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(consumer.get()).isEqualTo(200);
            for (long i = 200; i < CAPACITY + 200; i++) {
                assertThat(queue.take()).isEqualTo(i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldDeliverEveryItemExactlyOnceInOrderThroughAFullRing() throws Exception {
        final int producers = 3;
        final int consumers = 2;
        final int itemsPerProducer = 100_000;
        final ExecutorService threads = Executors.newFixedThreadPool(producers + consumers);
        try (Queue<Long> queue = Queue.builder(Long.class).capacity(CAPACITY).maxMessageBytes(8).build()) {
            final List<Future<List<Long>>> takers = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                final boolean inRuns = c == 1;
                takers.add(threads.submit(() -> {
                    final List<Long> taken = new ArrayList<>();
                    if (inRuns) {
                        try {
                            while (true) {
                                queue.takeInto(taken, 7);
                            }
                        } catch (final EndOfStreamException end) {
                            return taken;
                        }
                    }
                    queue.forEach(taken::add);
                    return taken;
                }));
            }
            final List<Future<?>> putters = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                final long base = (long) p << 32;
                final boolean inRuns = p == 2;
                putters.add(threads.submit(() -> {
                    for (int i = 0; i < itemsPerProducer; i += inRuns ? 5 : 1) {
                        if (inRuns) {
                            queue.putAll(List.of(base | i, base | (i + 1), base | (i + 2), base | (i + 3),
                                base | (i + 4)));
                        } else {
                            queue.put(base | i);
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> putter : putters) {
                putter.get();
            }
            queue.close();
            final BitSet[] seen = new BitSet[producers];
            for (int p = 0; p < producers; p++) {
                seen[p] = new BitSet(itemsPerProducer);
            }
            for (final Future<List<Long>> taker : takers) {
                final int[] last = {-1, -1, -1};
                for (final long item : taker.get()) {
                    final int producer = (int) (item >>> 32);
                    final int index = (int) item;
                    assertThat(seen[producer].get(index)).as("duplicate %d/%d", producer, index).isFalse();
                    seen[producer].set(index);
                    assertThat(index).as("order of producer %d", producer).isGreaterThan(last[producer]);
                    last[producer] = index;
                }
            }
            for (int p = 0; p < producers; p++) {
                assertThat(seen[p].cardinality()).as("items of producer %d", p).isEqualTo(itemsPerProducer);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
