package dev.forklift.concurrency;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codec;
import dev.forklift.codec.Codecs;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.queue.internal.SharedQueue;

/** Small queues of the shared-memory layout in this process's memory, one per jcstress state. */
final class Queues {
    private Queues() {
    }

    static SharedQueue<Integer> ints(final int capacity) {
        return ints(capacity, Codecs.forType(Integer.class, AllowList.defaults()));
    }

    static SharedQueue<Integer> ints(final int capacity, final Codec<Integer> codec) {
        return SharedQueue.inMemory("stress", capacity, Integer.BYTES, codec, WaitStrategy.busySpin());
    }

    /** @return the item, or 0 when the queue is empty (items in these tests are never 0). */
    static int pollOrZero(final SharedQueue<Integer> queue) {
        final Integer item = queue.poll();
        return item == null ? 0 : item;
    }

    /** @return the item read in place (a big-endian int), or 0 when the queue is empty. */
    static int pollInPlaceOrZero(final SharedQueue<Integer> queue) {
        final int[] item = {0};
        try {
            queue.pollInPlace(view -> item[0] = view.getInt(0), 0, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return item[0];
    }

    /** @return the items left, as decimal digits in order (items are single digits), 0 when none. */
    static int drainDigits(final SharedQueue<Integer> queue) {
        int digits = 0;
        Integer item;
        while ((item = queue.poll()) != null) {
            digits = digits * 10 + item;
        }
        return digits;
    }
}
