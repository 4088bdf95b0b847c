package dev.forklift.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many producer and consumer threads over a small queue, so that claims race and slots wrap many times: every
 * item arrives exactly once, and each producer's items arrive in the order it put them to any one consumer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedQueueStressTest {
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final int ITEMS_PER_PRODUCER = 50_000;

    @Test
    void shouldDeliverEveryItemExactlyOnceUnderContention() throws Exception {
        final ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        try (Queue<Long> queue = Queue.builder(Long.class).capacity(8).maxMessageBytes(8).build()) {
            final List<Future<List<Long>>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(threads.submit(() -> {
                    final List<Long> taken = new ArrayList<>();
                    queue.forEach(taken::add);
                    return taken;
                }));
            }
            final List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                final long base = (long) p << 32;
                producers.add(threads.submit(() -> {
                    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
                        queue.put(base | i);
                    }
                    return null;
                }));
            }
            for (final Future<?> producer : producers) {
                producer.get();
            }
            queue.close();

            final BitSet[] seen = new BitSet[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++) {
                seen[p] = new BitSet(ITEMS_PER_PRODUCER);
            }
            long total = 0;
            for (final Future<List<Long>> consumer : consumers) {
                final long[] lastPerProducer = {-1, -1, -1, -1};
                for (final long item : consumer.get()) {
                    final int producer = (int) (item >>> 32);
                    final int index = (int) item;
                    assertThat(seen[producer].get(index)).as("duplicate %d/%d", producer, index).isFalse();
                    seen[producer].set(index);
                    assertThat(index).as("per-producer order").isGreaterThan((int) lastPerProducer[producer]);
                    lastPerProducer[producer] = index;
                    total++;
                }
            }
            assertThat(total).isEqualTo((long) PRODUCERS * ITEMS_PER_PRODUCER);
            for (int p = 0; p < PRODUCERS; p++) {
                assertThat(seen[p].cardinality()).isEqualTo(ITEMS_PER_PRODUCER);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
