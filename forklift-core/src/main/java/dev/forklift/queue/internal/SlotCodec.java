package dev.forklift.queue.internal;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.queue.MessageTooLargeException;
import dev.forklift.queue.QueueSlotRepairedException;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

import static dev.forklift.queue.internal.QueueDescriptor.ABORTED_LENGTH;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;

/**
 * Moves items in and out of slots claimed on a {@link SlotRing}, with the queue's {@link Codec}: encodes an item
 * into a slot claimed for writing and publishes it (as aborted if encoding fails), and decodes the message of a
 * slot claimed for reading and releases it (also if decoding fails). Used by the single operations of
 * {@link SharedQueue} and by {@link BatchRuns}.
 *
 * <p>Thread-safe: each thread encodes and decodes through its own duplicate of the queue's memory (a
 * {@link ThreadLocal}), so threads never share a buffer position or limit. Any process that has the queue may
 * call it, for slots its own thread claimed.
 *
 * @param <T> the type of the items.
 */
final class SlotCodec<T> {
    private final SlotRing ring;
    private final Codec<T> codec;
    private final ThreadLocal<ByteBuffer> views;
    private final String name;
    private final int maxMessageBytes;

    /**
     * @param ring   the slots.
     * @param memory the queue's whole memory, duplicated per thread.
     * @param name   the queue's name, for exceptions.
     * @param codec  the codec of the items.
     */
    SlotCodec(final SlotRing ring, final ByteBuffer memory, final String name, final Codec<T> codec) {
        this.ring = ring;
        this.codec = codec;
        this.views = ThreadLocal.withInitial(memory::duplicate);
        this.name = name;
        this.maxMessageBytes = ring.maxMessageBytes();
    }

    /**
     * Refuses an item before any slot is claimed for it.
     *
     * @throws NullPointerException     if it is null.
     * @throws MessageTooLargeException if it is a byte array longer than the largest message.
     */
    void checkItem(final T item) {
        Objects.requireNonNull(item, "item");
        if (item instanceof byte[] && ((byte[]) item).length > maxMessageBytes) {
            throw new MessageTooLargeException(name, ((byte[]) item).length, maxMessageBytes);
        }
    }

    /**
     * Encodes the item into its claimed slot and publishes it; a failure publishes an aborted slot instead.
     *
     * @return the failure to throw, or null.
     */
    RuntimeException write(final long position, final T item) {
        final int slot = ring.slotOffset(position);
        final int payload = slot + SLOT_HEADER_LENGTH;
        final ByteBuffer view = views.get();
        view.limit(payload + maxMessageBytes).position(payload);
        RuntimeException failure = null;
        int length;
        try {
            codec.encode(item, view);
            length = view.position() - payload;
        } catch (final BufferOverflowException ex) {
            failure = new MessageTooLargeException(name, -1, maxMessageBytes);
            length = ABORTED_LENGTH;
        } catch (final CodecException ex) {
            failure = ex;
            length = ABORTED_LENGTH;
        } catch (final RuntimeException ex) {
            failure = new CodecException("codec " + codec.id() + " failed to encode a " + item.getClass().getName()
                + ": " + ex, ex);
            length = ABORTED_LENGTH;
        }
        try {
            ring.publish(slot, position, length);
        } catch (final QueueSlotRepairedException repaired) {
            return failure != null ? failure : repaired;
        }
        return failure;
    }

    /**
     * Decodes the message of a slot claimed for reading, and releases the slot whatever happens.
     *
     * @param slot     the slot's offset.
     * @param position the slot's position.
     * @param length   the slot's length field, of a slot that carries a message.
     * @return the item.
     * @throws CodecException if the length is corrupt or the codec fails.
     */
    T read(final int slot, final long position, final int length) {
        try {
            ring.checkMessageLength(length);
            final int payload = slot + SLOT_HEADER_LENGTH;
            final ByteBuffer view = views.get();
            view.limit(payload + length).position(payload);
            return codec.decode(view);
        } catch (final CodecException ex) {
            throw ex;
        } catch (final RuntimeException ex) {
            throw new CodecException("codec " + codec.id() + " failed to decode " + length + " bytes: " + ex, ex);
        } finally {
            ring.release(slot, position);
        }
    }
}
