package dev.forklift.queue.internal;

import dev.forklift.queue.MessageReader;
import dev.forklift.queue.MessageTooLargeException;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.QueueSlotRepairedException;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.ABORTED_LENGTH;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;

/**
 * The in-place operations of a queue ({@code putInPlace}, {@code offerInPlace}, {@code putRunInPlace},
 * {@code takeInPlace}, {@code pollInPlace}, {@code takeRunInPlace}): a {@link MessageWriter} fills a claimed slot
 * directly, a {@link MessageReader} reads a claimed slot directly, through the zero-based views of
 * {@link SlotViews}; no codec is involved. Whatever a callback returns or throws, the slot is published (as aborted
 * if the writer failed) or released afterwards, so a slot never stays claimed by a live process.
 *
 * <p>Thread-safe, also across processes, as the {@link SlotRing} is: it holds no state of its own, and each
 * callback gets a view of its own. Any thread of any process that has the queue may call it.
 */
final class InPlaceOperations {
    private final SlotRing ring;
    private final SlotViews slotViews;
    private final String name;
    private final int maxMessageBytes;

    /**
     * @param ring      the slots.
     * @param slotViews views of the slots' payloads.
     * @param name      the queue's name, for exceptions.
     */
    InPlaceOperations(final SlotRing ring, final SlotViews slotViews, final String name) {
        this.ring = ring;
        this.slotViews = slotViews;
        this.name = name;
        this.maxMessageBytes = ring.maxMessageBytes();
    }

    /** See {@link dev.forklift.queue.Queue#putInPlace}. */
    void putInPlace(final int maxLengthBytes, final MessageWriter writer) throws InterruptedException {
        checkInPlaceWrite(maxLengthBytes, writer);
        fillInPlace(ring.claimForWrite(Long.MAX_VALUE), maxLengthBytes, writer);
    }

    /** See {@link dev.forklift.queue.Queue#offerInPlace}. */
    boolean offerInPlace(final int maxLengthBytes, final MessageWriter writer, final long timeout,
        final TimeUnit unit) throws InterruptedException {
        checkInPlaceWrite(maxLengthBytes, writer);
        final long position = ring.claimForWrite(SlotRing.deadlineNs(timeout, unit));
        if (position == SlotRing.NO_POSITION) {
            return false;
        }
        fillInPlace(position, maxLengthBytes, writer);
        return true;
    }

    /** See {@link dev.forklift.queue.Queue#putRunInPlace}. */
    void putRunInPlace(final int count, final int maxLengthBytes, final MessageWriter writer)
        throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: count=" + count);
        }
        checkInPlaceWrite(maxLengthBytes, writer);
        final ClaimedRun run = new ClaimedRun();
        int written = 0;
        while (written < count) {
            ring.claimRunForWrite(run, Math.min(count - written, ClaimedRun.MAX_LENGTH));
            for (int i = 0; i < run.length; i++) {
                try {
                    fillInPlace(run.first + i, maxLengthBytes, writer);
                } catch (final Throwable failure) {
                    ring.publishAborted(run, i + 1);
                    throw failure;
                }
            }
            written += run.length;
        }
    }

    /** See {@link dev.forklift.queue.Queue#takeInPlace}. */
    void takeInPlace(final MessageReader reader) throws InterruptedException {
        readInPlace(Objects.requireNonNull(reader, "reader"), Long.MAX_VALUE);
    }

    /** See {@link dev.forklift.queue.Queue#pollInPlace}. */
    boolean pollInPlace(final MessageReader reader, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        return readInPlace(Objects.requireNonNull(reader, "reader"), SlotRing.deadlineNs(timeout, unit));
    }

    /** See {@link dev.forklift.queue.Queue#takeRunInPlace}. */
    int takeRunInPlace(final MessageReader reader, final int maxItems) throws InterruptedException {
        ClaimedRun.checkMaxItems(maxItems);
        Objects.requireNonNull(reader, "reader");
        final ClaimedRun run = new ClaimedRun();
        while (true) {
            ring.claimRunForRead(run, Math.min(maxItems, ClaimedRun.MAX_LENGTH), Long.MAX_VALUE);
            final int taken = readRunInPlace(reader, run.first, run.length);
            if (taken > 0) {
                return taken;
            }
        }
    }

    private void checkInPlaceWrite(final int maxLengthBytes, final MessageWriter writer) {
        Objects.requireNonNull(writer, "writer");
        if (maxLengthBytes < 0) {
            throw new IllegalArgumentException("maxLengthBytes must not be negative: maxLengthBytes="
                + maxLengthBytes);
        }
        if (maxLengthBytes > maxMessageBytes) {
            throw new MessageTooLargeException(name, maxLengthBytes, maxMessageBytes);
        }
    }

    /**
     * Lets the writer fill the claimed slot and publishes it with the length the writer returned; whatever the
     * writer throws, the slot is published (as aborted), so it never stays claimed.
     */
    private void fillInPlace(final long position, final int maxLengthBytes, final MessageWriter writer) {
        final int slot = ring.slotOffset(position);
        int length = ABORTED_LENGTH;
        try {
            final int written = writer.write(slotViews.writable(slot + SLOT_HEADER_LENGTH, maxLengthBytes));
            if (written < 0 || written > maxLengthBytes) {
                throw new IllegalStateException("writer returned a message length outside 0.." + maxLengthBytes
                    + " for queue '" + name + "': length=" + written);
            }
            length = written;
        } finally {
            ring.publish(slot, position, length);
        }
    }

    /** Claims the next message (skipping aborted and torn slots), hands it to the reader and releases it. */
    private boolean readInPlace(final MessageReader reader, final long deadlineNs) throws InterruptedException {
        final long position = ring.claimMessageForRead(deadlineNs);
        if (position == SlotRing.NO_POSITION) {
            return false;
        }
        final int slot = ring.slotOffset(position);
        try {
            reader.read(readOnlyView(slot, ring.messageLength(slot)));
            return true;
        } finally {
            ring.release(slot, position);
        }
    }

    /**
     * Hands every message of a claimed run to the reader and releases each slot after its call, whatever the
     * reader throws; the first failure is thrown at the end, later ones suppressed in it.
     */
    private int readRunInPlace(final MessageReader reader, final long first, final int length) {
        int taken = 0;
        Throwable failure = null;
        for (int i = 0; i < length; i++) {
            final long position = first + i;
            final int slot = ring.slotOffset(position);
            final int itemLength = ring.messageLength(slot);
            try {
                if (SlotRing.carriesMessage(itemLength)) {
                    reader.read(readOnlyView(slot, itemLength));
                    taken++;
                }
            } catch (final Throwable ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            } finally {
                failure = released(slot, position, failure);
            }
        }
        if (failure != null) {
            throw unchecked(failure);
        }
        return taken;
    }

    /**
     * Releases a slot of a run; a release refused because the slot was repaired meanwhile joins the run's failures
     * instead of leaving the rest of the run unreleased.
     */
    private Throwable released(final int slot, final long position, final Throwable failure) {
        try {
            ring.release(slot, position);
            return failure;
        } catch (final QueueSlotRepairedException repaired) {
            if (failure == null) {
                return repaired;
            }
            failure.addSuppressed(repaired);
            return failure;
        }
    }

    private ByteBuffer readOnlyView(final int slot, final int length) {
        ring.checkMessageLength(length);
        return slotViews.readOnly(slot + SLOT_HEADER_LENGTH, length);
    }

    /** Rethrows an unchecked throwable as it is; a checked one (thrown past the compiler) wrapped. */
    private static RuntimeException unchecked(final Throwable failure) {
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        throw new java.lang.reflect.UndeclaredThrowableException(failure);
    }
}
