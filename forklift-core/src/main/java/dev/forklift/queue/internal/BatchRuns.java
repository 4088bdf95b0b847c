package dev.forklift.queue.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The batch operations on items: {@code putAll}, {@code drainTo} and {@code takeInto}, each claiming runs of up
 * to {@link ClaimedRun#MAX_LENGTH} slots with one CAS on the {@link SlotRing} and moving the items with the
 * {@link SlotCodec}. Every slot of a run it claims is published (possibly as aborted) or released, whatever fails
 * or is thrown, errors included.
 *
 * <p>Thread-safe, also across processes, as the ring is: it holds no state of its own, and each call makes its
 * own {@link ClaimedRun}. Any thread of any process that has the queue may call it.
 *
 * @param <T> the type of the items.
 */
final class BatchRuns<T> {
    private static final int MAX_SUPPRESSED = 16;

    private final SlotRing ring;
    private final SlotCodec<T> items;

    BatchRuns(final SlotRing ring, final SlotCodec<T> items) {
        this.ring = ring;
        this.items = items;
    }

    /**
     * Checks every item first, then puts them in order, a run at a time, waiting while the queue is full. An item
     * that fails to encode has its slot published as aborted (consumers skip it) and the others are still put, in
     * order; then the first failure is thrown, with later ones suppressed in it. A fatal error
     * ({@link dev.forklift.codec.CodecFailures#isFatal}) stops at once: the rest of its run is published as aborted
     * and it is thrown as it is.
     */
    void putAll(final List<? extends T> list) throws InterruptedException {
        final Object[] snapshot = list.toArray();
        for (final Object item : snapshot) {
            items.checkItem(cast(item));
        }
        final ClaimedRun run = new ClaimedRun();
        final int count = snapshot.length;
        RuntimeException firstFailure = null;
        int next = 0;
        while (next < count) {
            try {
                ring.claimRunForWrite(run, Math.min(count - next, ClaimedRun.MAX_LENGTH));
            } catch (final InterruptedException | RuntimeException ex) {
                if (firstFailure != null && firstFailure != ex) {
                    ex.addSuppressed(firstFailure);
                }
                throw ex;
            }
            int i = 0;
            try {
                for (; i < run.length; i++) {
                    final RuntimeException failure = items.write(run.first + i, cast(snapshot[next + i]));
                    if (failure != null) {
                        firstFailure = keep(firstFailure, failure);
                    }
                }
            } finally {
                if (i < run.length) {
                    ring.publishAborted(run, i + 1); // write(i) published slot i itself, also when it threw
                }
            }
            next += run.length;
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    /** @return the first failure, with a later one added to it (up to a bound). */
    private static RuntimeException keep(final RuntimeException first, final RuntimeException later) {
        if (first == null) {
            return later;
        }
        if (later != first && first.getSuppressed().length < MAX_SUPPRESSED) {
            first.addSuppressed(later);
        }
        return first;
    }

    @SuppressWarnings("unchecked")
    private T cast(final Object item) {
        return (T) item;
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
     * Decodes and releases every slot of a claimed run, whatever fails: a slot claimed is always released, and every
     * other item of the run is still added to the target (as the in-place run read does). Then the first failure
     * is thrown (a decoding error, or the target refusing an item); a fatal error
     * ({@link dev.forklift.codec.CodecFailures#isFatal}) is thrown in preference, as it is.
     */
    private int readRun(final Collection<? super T> target, final long first, final int length) {
        int taken = 0;
        Throwable failure = null;
        for (int i = 0; i < length; i++) {
            final long position = first + i;
            final int slot = ring.slotOffset(position);
            final int itemLength = ring.messageLength(slot);
            if (!SlotRing.carriesMessage(itemLength)) {
                ring.releaseWithoutItem(slot, position);
                continue;
            }
            try {
                target.add(items.read(slot, position, itemLength)); // read releases the slot, whatever happens
                taken++;
            } catch (final Throwable ex) {
                if (failure == null || dev.forklift.codec.CodecFailures.isFatal(ex)
                    && !dev.forklift.codec.CodecFailures.isFatal(failure)) {
                    failure = ex;
                }
            }
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new java.lang.reflect.UndeclaredThrowableException(failure); // thrown past the compiler
        }
        return taken;
    }
}
