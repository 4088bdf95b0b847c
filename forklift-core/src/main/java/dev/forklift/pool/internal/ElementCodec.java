package dev.forklift.pool.internal;

import dev.forklift.codec.Codec;
import dev.forklift.pool.Args;

import java.nio.ByteBuffer;

/**
 * Encodes one input or result inside a frame: a length-prefixed element. Internal; not API.
 *
 * <pre>
 *  element := int length, then length bytes of body    (length -1: null, -2: skipped input)
 *  body    := byte KIND_VALUE, codec bytes
 *           | byte KIND_INT, int | byte KIND_LONG, long | byte KIND_DOUBLE, double    (fast paths)
 *           | byte KIND_PAIR, element, element           (an {@link Args} pair)
 * </pre>
 */
public final class ElementCodec {
    /** Marker returned by {@link #read} for a skipped input (one that failed to encode in the master). */
    public static final Object SKIP = new Object();

    private static final int NULL_LENGTH = -1;
    private static final int SKIP_LENGTH = -2;
    private static final byte KIND_VALUE = 1;
    private static final byte KIND_PAIR = 2;
    private static final byte KIND_INT = 3;
    private static final byte KIND_LONG = 4;
    private static final byte KIND_DOUBLE = 5;

    private final Codec<Object> codec;

    /** @param codec the codec of values. */
    public ElementCodec(final Codec<Object> codec) {
        this.codec = codec;
    }

    /**
     * Writes one element at the buffer's position. On any exception the buffer's position is left undefined: the
     * caller resets it.
     *
     * @param value  the value, may be null.
     * @param target where to write.
     * @throws java.nio.BufferOverflowException if it does not fit.
     * @throws dev.forklift.codec.CodecException if the codec refuses the value.
     */
    public void write(final Object value, final ByteBuffer target) {
        if (value == null) {
            target.putInt(NULL_LENGTH);
            return;
        }
        final Class<?> type = value.getClass();
        if (type == Integer.class) {
            target.putInt(1 + Integer.BYTES).put(KIND_INT).putInt((Integer) value);
            return;
        }
        if (type == Long.class) {
            target.putInt(1 + Long.BYTES).put(KIND_LONG).putLong((Long) value);
            return;
        }
        if (type == Double.class) {
            target.putInt(1 + Double.BYTES).put(KIND_DOUBLE).putDouble((Double) value);
            return;
        }
        final int lengthAt = target.position();
        target.putInt(0);
        if (value instanceof Args) {
            final Args<?, ?> pair = (Args<?, ?>) value;
            target.put(KIND_PAIR);
            write(pair.first(), target);
            write(pair.second(), target);
        } else {
            target.put(KIND_VALUE);
            codec.encode(value, target);
        }
        target.putInt(lengthAt, target.position() - lengthAt - Integer.BYTES);
    }

    /** @param target where to write the marker of a skipped input. */
    public static void writeSkip(final ByteBuffer target) {
        target.putInt(SKIP_LENGTH);
    }

    /**
     * Reads one element and always leaves the buffer after it, also when decoding fails.
     *
     * @param source the frame, positioned at the element.
     * @return the value, null, or {@link #SKIP}.
     * @throws dev.forklift.codec.CodecException (or another runtime exception of the codec) if the body cannot be
     *                                          decoded.
     */
    public Object read(final ByteBuffer source) {
        final int length = source.getInt();
        if (length == NULL_LENGTH) {
            return null;
        }
        if (length == SKIP_LENGTH) {
            return SKIP;
        }
        final int end = source.position() + length;
        try {
            final byte kind = source.get();
            switch (kind) {
                case KIND_INT: return source.getInt();
                case KIND_LONG: return source.getLong();
                case KIND_DOUBLE: return source.getDouble();
                default: break;
            }
            if (kind == KIND_PAIR) {
                final Object first = read(source);
                final Object second = read(source);
                return Args.of(first, second);
            }
            return codec.decode(source.slice(source.position(), end - source.position()));
        } finally {
            source.position(end);
        }
    }

    /**
     * Moves past one element without decoding it.
     *
     * @param source the frame, positioned at the element.
     */
    public static void skip(final ByteBuffer source) {
        final int length = source.getInt();
        if (length > 0) {
            source.position(source.position() + length);
        }
    }
}
