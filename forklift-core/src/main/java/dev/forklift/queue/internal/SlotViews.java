package dev.forklift.queue.internal;

import java.nio.ByteBuffer;

/**
 * Views of one slot's payload for the in-place operations: a zero-based {@link ByteBuffer} over exactly the bytes
 * a callback may touch, read-only for readers. Each call makes a new small view object (the bytes are not
 * copied), so callbacks on different threads, or nested ones, never share position or limit.
 *
 * <p>Thread-safe: the whole-memory buffers held here are only sliced by absolute index, never moved.
 */
final class SlotViews {
    private final ByteBuffer writable;
    private final ByteBuffer readOnly;

    /** @param memory the queue's whole memory; its position and limit are ignored. */
    SlotViews(final ByteBuffer memory) {
        this.writable = memory.duplicate().clear();
        this.readOnly = writable.asReadOnlyBuffer();
    }

    /**
     * @param payloadOffset where the payload starts in the queue's memory.
     * @param lengthBytes   how many bytes the writer may write.
     * @return a writable view: position 0, limit and capacity {@code lengthBytes}, big-endian.
     */
    ByteBuffer writable(final int payloadOffset, final int lengthBytes) {
        return writable.slice(payloadOffset, lengthBytes);
    }

    /**
     * @param payloadOffset where the message starts in the queue's memory.
     * @param lengthBytes   the message length.
     * @return a read-only view: position 0, limit and capacity {@code lengthBytes}, big-endian.
     */
    ByteBuffer readOnly(final int payloadOffset, final int lengthBytes) {
        return readOnly.slice(payloadOffset, lengthBytes);
    }
}
