package dev.forklift.process.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed frames on the control socket between a parent and a child: one type byte, a 4-byte big-endian
 * payload length, the payload. Reads and writes go straight to the channel (never through stream adapters), so one
 * thread may block reading while another writes.
 *
 * <p>Internal; not API.
 */
public final class Frames {
    /** Child to parent, first frame: the token (UTF-8) given on the child's command line. */
    public static final byte HELLO = 1;
    /** Parent to child: the serialized {@link ChildSpec}. */
    public static final byte SPEC = 2;
    /** Child to parent: arguments decoded and task instantiated; the task is about to run. */
    public static final byte READY = 3;
    /** Child to parent: the child could not start; payload is a serialized {@link ThrowableEnvelope}. */
    public static final byte START_FAILED = 4;
    /** Child to parent: the task returned normally. */
    public static final byte OUTCOME_SUCCESS = 5;
    /** Child to parent: the task threw; payload is a serialized {@link ThrowableEnvelope}. */
    public static final byte OUTCOME_FAILURE = 6;

    /** Largest payload accepted, to fail cleanly on a corrupt or hostile length. */
    public static final int MAX_PAYLOAD_BYTES = 256 << 20;

    private static final int HEADER_LENGTH = 5;

    private Frames() {
    }

    /** One frame read from a channel. */
    public record Frame(byte type, byte[] payload) {
    }

    /**
     * Writes one frame; callers serialize writes on the same channel themselves.
     *
     * @param channel a connected blocking channel.
     * @param type    the frame type.
     * @param payload the payload, possibly empty.
     * @throws IOException if the peer is gone.
     */
    public static void write(final SocketChannel channel, final byte type, final byte[] payload) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        header.put(type).putInt(payload.length).flip();
        final ByteBuffer body = ByteBuffer.wrap(payload);
        final ByteBuffer[] both = {header, body};
        while (header.hasRemaining() || body.hasRemaining()) {
            channel.write(both);
        }
    }

    /**
     * Reads one frame, blocking until it is complete.
     *
     * @param channel a connected blocking channel.
     * @return the frame, or null on a clean end of stream before its first byte.
     * @throws IOException on an error or an end of stream inside a frame.
     */
    public static Frame read(final SocketChannel channel) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        if (!readFully(channel, header, true)) {
            return null;
        }
        header.flip();
        final byte type = header.get();
        final int length = header.getInt();
        if (length < 0 || length > MAX_PAYLOAD_BYTES) {
            throw new IOException("bad control frame length: lengthBytes=" + length);
        }
        final ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body, false);
        return new Frame(type, body.array());
    }

    /** @return the UTF-8 bytes of the text. */
    public static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean readFully(final SocketChannel channel, final ByteBuffer buffer, final boolean eofAllowed)
        throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (eofAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("control connection closed inside a frame");
            }
        }
        return true;
    }
}
