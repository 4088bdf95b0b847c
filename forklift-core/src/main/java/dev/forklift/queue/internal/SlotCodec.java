package dev.forklift.queue.internal;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.codec.CodecFailures;
import dev.forklift.queue.MessageTooLargeException;
import dev.forklift.queue.QueueSlotRepairedException;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

import static dev.forklift.queue.internal.QueueDescriptor.ABORTED_LENGTH;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;

/**
 * Moves items in and out of slots claimed on a {@link SlotRing}, with the queue's {@link Codec}: encodes an item
 * into a slot claimed for writing and publishes it (as aborted if encoding fails, whatever the codec throws), and
 * decodes the message of a slot claimed for reading and releases it (also if decoding fails, whatever it throws).
 * A codec's exceptions and non-fatal errors reach the caller as a {@link CodecException} that carries them
 * ({@link CodecFailures}). Used by the single operations of
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
     * Encodes the item into its claimed slot and publishes it; whatever the codec throws (an exception or an error,
     * such as a {@link StackOverflowError} from a deeply nested value), the slot is published as aborted instead,
     * so it never stays claimed.
     *
     * @return the failure to throw, or null: a {@link MessageTooLargeException}, or a {@link CodecException} that
     *         carries what the codec threw.
     * @throws Error what the codec threw, unchanged, if it is fatal ({@link CodecFailures#isFatal}: out of memory,
     *               an internal error); the slot is published as aborted first.
     */
    RuntimeException write(final long position, final T item) {
        final int slot = ring.slotOffset(position);
        int length = ABORTED_LENGTH;
        RuntimeException failure = null;
        try {
            final int payload = slot + SLOT_HEADER_LENGTH;
            final ByteBuffer view = views.get();
            view.limit(payload + maxMessageBytes).position(payload);
            codec.encode(item, view);
            final int written = view.position() - payload;
            if (written < 0) {
                failure = new CodecException("codec " + codec.id() + " moved the buffer back while encoding a "
                    + item.getClass().getName() + ": length=" + written);
            } else {
                length = written;
            }
        } catch (final BufferOverflowException ex) {
            failure = new MessageTooLargeException(name, item.getClass().getName(), maxMessageBytes);
        } catch (final Throwable ex) {
            failure = CodecFailures.toCodecException("codec " + codec.id() + " failed to encode a "
                + item.getClass().getName() + " for queue '" + name + "'", ex);
        } finally {
            // Published whatever happened above (also when a fatal error is on its way up): never a claimed slot
            // left unpublished. A slot repaired meanwhile is refused: that is the failure when there was none.
            final RuntimeException refused = publishOrRefusal(slot, position, length);
            if (failure == null) {
                failure = refused;
            }
        }
        return failure;
    }

    private RuntimeException publishOrRefusal(final int slot, final long position, final int length) {
        try {
            ring.publish(slot, position, length);
            return null;
        } catch (final QueueSlotRepairedException repaired) {
            return repaired;
        }
    }

    /**
     * Decodes the message of a slot claimed for reading, and releases the slot whatever happens (also when the
     * codec throws an error).
     *
     * @param slot     the slot's offset.
     * @param position the slot's position.
     * @param length   the slot's length field, of a slot that carries a message.
     * @return the item.
     * @throws CodecException if the length is corrupt or the codec fails; it carries what the codec threw.
     * @throws Error          what the codec threw, unchanged, if it is fatal ({@link CodecFailures#isFatal}).
     */
    T read(final int slot, final long position, final int length) {
        try {
            ring.checkMessageLength(length);
            final int payload = slot + SLOT_HEADER_LENGTH;
            final ByteBuffer view = views.get();
            view.limit(payload + length).position(payload);
            return codec.decode(view);
        } catch (final Throwable ex) {
            throw CodecFailures.toCodecException("codec " + codec.id() + " failed to decode " + length
                + " bytes of queue '" + name + "'", ex);
        } finally {
            ring.release(slot, position);
        }
    }
}
