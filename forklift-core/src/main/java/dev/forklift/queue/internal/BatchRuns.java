package dev.forklift.queue.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The batch operations on items: {@code putAll}, {@code drainTo} and {@code takeInto}, each claiming runs of up
 * to {@link ClaimedRun#MAX_LENGTH} slots with one CAS on the {@link SlotRing} and moving the items with the
 * {@link SlotCodec}. Every slot of a run it claims is published (possibly as aborted) or released, whatever fails.
 *
 * <p>Thread-safe, also across processes, as the ring is: it holds no state of its own, and each call makes its
 * own {@link ClaimedRun}. Any thread of any process that has the queue may call it.
 *
 * @param <T> the type of the items.
 */
final class BatchRuns<T> {
    private final SlotRing ring;
    private final SlotCodec<T> items;

    BatchRuns(final SlotRing ring, final SlotCodec<T> items) {
        this.ring = ring;
        this.items = items;
    }

    /**
     * Checks every item first, then puts them in order, a run at a time, waiting while the queue is full. When an
     * item fails to encode, its slot and the rest of its run are published as aborted and the failure is thrown;
     * the items of earlier runs stay put.
     */
    void putAll(final List<? extends T> list) throws InterruptedException {
        for (final T item : list) {
            items.checkItem(item);
        }
        final ClaimedRun run = new ClaimedRun();
        final int count = list.size();
        int next = 0;
        while (next < count) {
            ring.claimRunForWrite(run, Math.min(count - next, ClaimedRun.MAX_LENGTH));
            for (int i = 0; i < run.length; i++) {
                final RuntimeException failure = items.write(run.first + i, list.get(next + i));
                if (failure != null) {
                    ring.publishAborted(run, i + 1);
                    throw failure;
                }
            }
            next += run.length;
        }
    }

    /**
     * Claims a run of published slots at the head with one CAS (waiting for the first until the deadline),
     * decodes them into the target and releases them; a run of aborted and torn slots only is skipped, unless the
     * deadline is 0 (no waiting).
     *
     * @return how many items were added to the target; 0 if the deadline passed first.
     */
    int takeRun(final Collection<? super T> target, final int maxItems, final long deadlineNs)
        throws InterruptedException {
        ClaimedRun.checkMaxItems(maxItems);
        Objects.requireNonNull(target, "target");
        final ClaimedRun run = new ClaimedRun();
        while (ring.claimRunForRead(run, Math.min(maxItems, ClaimedRun.MAX_LENGTH), deadlineNs)) {
            final int taken = readRun(target, run.first, run.length);
            if (taken > 0 || deadlineNs == 0) {
                return taken;
            }
        }
        return 0;
    }

    /**
     * Decodes and releases every slot of a claimed run, whatever fails: a slot claimed is always released. The
     * first failure (a decoding error, or the target refusing an item) is thrown at the end.
     */
    private int readRun(final Collection<? super T> target, final long first, final int length) {
        int taken = 0;
        RuntimeException failure = null;
        for (int i = 0; i < length; i++) {
            final long position = first + i;
            final int slot = ring.slotOffset(position);
            final int itemLength = ring.messageLength(slot);
            if (!SlotRing.carriesMessage(itemLength)) {
                ring.releaseWithoutItem(slot, position);
                continue;
            }
            try {
                target.add(items.read(slot, position, itemLength));
                taken++;
            } catch (final RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return taken;
    }
}
