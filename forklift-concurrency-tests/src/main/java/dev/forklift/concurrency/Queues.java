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
