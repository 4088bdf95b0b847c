package dev.forklift.codec.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** {@link InputStream} and {@link OutputStream} over a {@link ByteBuffer}'s remaining bytes. Not thread-safe. */
public final class ByteBufferStreams {
    private ByteBufferStreams() {
    }

    /**
     * @param target the buffer written from its position; a write past its limit throws
     *               {@link java.nio.BufferOverflowException}.
     * @return a stream writing into the buffer.
     */
    public static OutputStream output(final ByteBuffer target) {
        return new OutputStream() {
            @Override
            public void write(final int b) {
                target.put((byte) b);
            }

            @Override
            public void write(final byte[] bytes, final int offset, final int length) {
                target.put(bytes, offset, length);
            }
        };
    }

    /**
     * @param source the buffer read from its position to its limit.
     * @return a stream reading the buffer.
     */
    public static InputStream input(final ByteBuffer source) {
        return new InputStream() {
            @Override
            public int read() {
                return source.hasRemaining() ? source.get() & 0xFF : -1;
            }

            @Override
            public int read(final byte[] bytes, final int offset, final int length) {
                if (length == 0) {
                    return 0;
                }
                if (!source.hasRemaining()) {
                    return -1;
                }
                final int count = Math.min(length, source.remaining());
                source.get(bytes, offset, count);
                return count;
            }

            @Override
            public int available() {
                return source.remaining();
            }
        };
    }
}
