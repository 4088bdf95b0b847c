package dev.forklift.cluster.internal;

import dev.forklift.pool.internal.ElementCodec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte buffer for encoding task and result bodies: each write is retried in a buffer twice as large
 * when it overflows. Not thread-safe. Internal to the module.
 */
final class Bytes {
    private ByteBuffer buffer;

    Bytes(final int initialBytes) {
        this.buffer = ByteBuffer.allocate(initialBytes);
    }

    /** A write into the buffer that may overflow it. */
    interface Write {
        void to(ByteBuffer target);
    }

    /**
     * Runs the write, again in a larger buffer if it overflowed.
     *
     * @param write the write.
     * @return this.
     */
    Bytes put(final Write write) {
        while (true) {
            final int start = buffer.position();
            try {
                write.to(buffer);
                return this;
            } catch (final BufferOverflowException ex) {
                buffer.position(start);
                final ByteBuffer larger = ByteBuffer.allocate(Math.max(64, buffer.capacity() * 2));
                buffer.flip();
                larger.put(buffer);
                buffer = larger;
            } catch (final RuntimeException ex) {
                buffer.position(start);
                throw ex;
            }
        }
    }

    /** @param codec the element codec. @param value a value. @return this, with the value written as an element. */
    Bytes element(final ElementCodec codec, final Object value) {
        return put(target -> codec.write(value, target));
    }

    /** @return the bytes written so far. */
    byte[] toArray() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** @return the number of bytes written so far. */
    int size() {
        return buffer.position();
    }
}
