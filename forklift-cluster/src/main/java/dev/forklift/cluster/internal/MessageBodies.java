package dev.forklift.cluster.internal;

import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;

import java.nio.ByteBuffer;

/**
 * Writes and reads the bodies of Forklift's broker messages with as few copies as the Artemis client allows: a body
 * is written into a buffer grown once to its exact size (not doubled from Artemis's 1.5 KiB start, a copy at each
 * doubling), and read in place (a view of the received buffer, not a copy). Called by the caller's pool and the
 * worker hosts, each on the thread that owns the message. Internal to the module.
 */
public final class MessageBodies {
    /** Room left after a body for the message's headers and properties, encoded after it on send. */
    private static final int PROPERTIES_ROOM_BYTES = 1024;

    private MessageBodies() {
    }

    /**
     * Appends {@code body} to the message's body, growing its buffer once to fit.
     *
     * @param message a message being built.
     * @param body    the bytes.
     */
    public static void write(final ClientMessage message, final byte[] body) {
        final ActiveMQBuffer buffer = message.getBodyBuffer();
        final io.netty.buffer.ByteBuf bytes = buffer.byteBuf();
        // room for the headers and properties Artemis writes after the body when it sends the message
        final int needed = bytes.writerIndex() + body.length + PROPERTIES_ROOM_BYTES;
        if (needed > bytes.capacity()) {
            bytes.capacity(needed); // exactly: growing by doubling would round a 64 KiB body up to 128 KiB
        }
        buffer.writeBytes(body);
    }

    /**
     * @param message a received message.
     * @return its body as a big-endian buffer positioned at its start: a view of the message's buffer when it is on
     *     the heap (valid until the message is acknowledged), else a copy. The message's own read position moves past
     *     the body.
     */
    public static ByteBuffer read(final ClientMessage message) {
        final ActiveMQBuffer buffer = message.getBodyBuffer();
        final int size = message.getBodySize();
        final ByteBuffer view = buffer.toByteBuffer(buffer.readerIndex(), size);
        if (view.hasArray() && !view.isReadOnly()) {
            buffer.readerIndex(buffer.readerIndex() + size);
            return view.order(java.nio.ByteOrder.BIG_ENDIAN);
        }
        final byte[] copy = new byte[size];
        buffer.readBytes(copy);
        return ByteBuffer.wrap(copy);
    }
}
