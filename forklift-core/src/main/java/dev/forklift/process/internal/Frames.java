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
 * <p>Each type has the payload cap it needs, checked on the header before any payload byte is read or any buffer
 * allocated ({@link #maxPayloadBytes}): a hello is a token (at most {@value #MAX_HELLO_BYTES} bytes), READY and
 * OUTCOME_SUCCESS are empty, a failure report at most {@value #MAX_FAILURE_BYTES} bytes (the child sends a smaller
 * form when the serialized exception is larger), a spec at most {@value #MAX_SPEC_BYTES} bytes (the builder refuses
 * a larger task and arguments before launching). An unknown type fails the read.
 *
 * <p>Internal; not API.
 */
public final class Frames {
    /** Child to parent, first frame: the token (UTF-8) the child read from its standard input. */
    public static final byte HELLO = 1;
    /** Parent to child: the encoded {@link ChildSpec} ({@link ChildSpec#encode}). */
    public static final byte SPEC = 2;
    /** Child to parent: arguments decoded and task instantiated; the task is about to run. */
    public static final byte READY = 3;
    /** Child to parent: the child could not start; payload is a serialized {@link ThrowableEnvelope}. */
    public static final byte START_FAILED = 4;
    /** Child to parent: the task returned normally. */
    public static final byte OUTCOME_SUCCESS = 5;
    /** Child to parent: the task threw; payload is a serialized {@link ThrowableEnvelope}. */
    public static final byte OUTCOME_FAILURE = 6;

    /**
     * Child to parent: one line the child wrote to its standard output or error, for a warm worker whose pipes
     * belong to its host; payload: one byte (0 stdout, 1 stderr), then the line in UTF-8 without terminator
     * ({@link OutputLine}).
     */
    public static final byte OUTPUT_LINE = 7;

    /** Largest hello payload: a token is 32 hex characters. */
    public static final int MAX_HELLO_BYTES = 64;
    /** Largest failure report (START_FAILED, OUTCOME_FAILURE). */
    public static final int MAX_FAILURE_BYTES = 16 << 20;
    /** Largest spec: the task and the arguments, serialized, and a few names. */
    public static final int MAX_SPEC_BYTES = 256 << 20;

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
     * Reads one frame of any type, blocking until it is complete.
     *
     * @param channel a connected blocking channel.
     * @return the frame, or null on a clean end of stream before its first byte.
     * @throws IOException on an error, an end of stream inside a frame, an unknown type or a length over the
     *                     type's cap.
     */
    public static Frame read(final SocketChannel channel) throws IOException {
        return read(channel, (byte) 0);
    }

    /**
     * Reads one frame that must be of the given type (checked on the header, before the payload is read).
     *
     * @param channel  a connected blocking channel.
     * @param expected the only type accepted, or 0 for any known type.
     * @return the frame, or null on a clean end of stream before its first byte.
     * @throws IOException as {@link #read(SocketChannel)}, and when the type is not the expected one.
     */
    public static Frame read(final SocketChannel channel, final byte expected) throws IOException {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        if (!readFully(channel, header, true)) {
            return null;
        }
        header.flip();
        final byte type = header.get();
        final int length = header.getInt();
        if (expected != 0 && type != expected) {
            throw new IOException("unexpected control frame: type=" + type + ", expected type=" + expected);
        }
        final int cap = maxPayloadBytes(type);
        if (cap < 0) {
            throw new IOException("unknown control frame type: type=" + type);
        }
        if (length < 0 || length > cap) {
            throw new IOException("bad control frame length: type=" + type + ", lengthBytes=" + length
                + ", maxBytes=" + cap);
        }
        final ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body, false);
        return new Frame(type, body.array());
    }

    /**
     * @param type a frame type.
     * @return the largest payload of that type, or -1 for an unknown type.
     */
    public static int maxPayloadBytes(final byte type) {
        return switch (type) {
            case HELLO -> MAX_HELLO_BYTES;
            case SPEC -> MAX_SPEC_BYTES;
            case READY, OUTCOME_SUCCESS -> 0;
            case START_FAILED, OUTCOME_FAILURE -> MAX_FAILURE_BYTES;
            case OUTPUT_LINE -> OutputPump.MAX_LINE_BYTES + 1;
            default -> -1;
        };
    }

    /** The payload of an {@link #OUTPUT_LINE} frame. */
    static final class OutputLine {
        private OutputLine() {
        }

        /**
         * @param stream which stream.
         * @param bytes  the line's bytes, at most {@link OutputPump#MAX_LINE_BYTES}.
         * @param length how many of them.
         * @return the payload.
         */
        static byte[] encode(final dev.forklift.process.ChildOutput.Stream stream, final byte[] bytes,
            final int length) {
            final byte[] payload = new byte[length + 1];
            payload[0] = (byte) (stream == dev.forklift.process.ChildOutput.Stream.STDOUT ? 0 : 1);
            System.arraycopy(bytes, 0, payload, 1, length);
            return payload;
        }

        /**
         * Hands a received line to the pump of its stream, which prefixes it as a piped line and keeps it in its
         * tail for error messages.
         */
        static void deliver(final byte[] payload, final OutputPump stdout, final OutputPump stderr) {
            if (payload.length == 0) {
                return;
            }
            (payload[0] == 0 ? stdout : stderr).frameLine(
                new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8));
        }
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
