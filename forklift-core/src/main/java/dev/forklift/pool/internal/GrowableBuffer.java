package dev.forklift.pool.internal;

import dev.forklift.codec.CodecFailures;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A heap byte buffer that doubles on overflow, up to a limit. Single-threaded. Internal; not API. */
final class GrowableBuffer {
    private final int limitBytes;
    private ByteBuffer buffer;

    GrowableBuffer(final int initialBytes, final int limitBytes) {
        this.limitBytes = limitBytes;
        this.buffer = ByteBuffer.allocate(Math.min(initialBytes, limitBytes));
    }

    ByteBuffer buffer() {
        return buffer;
    }

    int position() {
        return buffer.position();
    }

    void position(final int position) {
        buffer.position(position);
    }

    void clear() {
        buffer.clear();
    }

    /**
     * Writes one element, growing as needed.
     *
     * @return false if it does not fit within the limit (the position is back where it was).
     * @throws dev.forklift.codec.CodecException for whatever else the codec throws, also an error such as a
     *                                          {@link StackOverflowError} (its cause); the position is back where
     *                                          it was.
     * @throws Error                            a fatal error ({@link CodecFailures#isFatal}) as it is, the
     *                                          position back where it was.
     */
    boolean writeElement(final ElementCodec codec, final Object value) {
        final int start = buffer.position();
        while (true) {
            try {
                codec.write(value, buffer);
                return true;
            } catch (final BufferOverflowException ex) {
                buffer.position(start);
                if (buffer.capacity() >= limitBytes) {
                    return false;
                }
                grow();
            } catch (final Throwable ex) {
                buffer.position(start);
                throw CodecFailures.toCodecException("cannot encode a "
                    + (value == null ? "null" : value.getClass().getName()), ex);
            }
        }
    }

    /** Ensures room for {@code bytes} more bytes; false if the limit forbids. */
    boolean ensure(final int bytes) {
        while (buffer.remaining() < bytes) {
            if (buffer.capacity() >= limitBytes) {
                return false;
            }
            grow();
        }
        return true;
    }

    private void grow() {
        final ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) buffer.capacity() * 2, limitBytes));
        final int position = buffer.position();
        bigger.put(buffer.array(), 0, position);
        buffer = bigger;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
