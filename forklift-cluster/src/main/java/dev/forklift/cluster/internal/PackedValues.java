package dev.forklift.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The compact layout of a chunk whose values are all of one boxed primitive type or all strings, used for task
 * bodies (by the caller) and result bodies (by the worker) instead of one length-prefixed element per value:
 * {@code [int -count][byte kind][count values]}, the values as 4-byte ints, 8-byte longs or doubles, or for strings
 * {@code [int utf8Length][utf8 bytes]} each. A negative first int tells it from the general layout
 * {@code [int count][count elements]}. A chunk with a null, another type or a mix of types is not packed. Called on
 * any thread; stateless. Internal to the module.
 */
final class PackedValues {
    static final byte KIND_INT = 1;
    static final byte KIND_LONG = 2;
    static final byte KIND_DOUBLE = 3;
    static final byte KIND_STRING = 4;

    private PackedValues() {
    }

    /**
     * @param values the values of a chunk.
     * @return their packed layout, or null when they cannot be packed (empty, a null, a mix of types or another
     *     type).
     */
    static byte[] pack(final Object[] values) {
        if (values.length == 0 || values[0] == null) {
            return null;
        }
        final Class<?> type = values[0].getClass();
        for (final Object value : values) {
            if (value == null || value.getClass() != type) {
                return null;
            }
        }
        final int count = values.length;
        if (type == Integer.class) {
            final ByteBuffer out = header(count, KIND_INT, 4L * count);
            for (final Object value : values) {
                out.putInt((Integer) value);
            }
            return out.array();
        }
        if (type == Long.class) {
            final ByteBuffer out = header(count, KIND_LONG, 8L * count);
            for (final Object value : values) {
                out.putLong((Long) value);
            }
            return out.array();
        }
        if (type == Double.class) {
            final ByteBuffer out = header(count, KIND_DOUBLE, 8L * count);
            for (final Object value : values) {
                out.putDouble((Double) value);
            }
            return out.array();
        }
        if (type == String.class) {
            final byte[][] utf8 = new byte[count][];
            long bytes = 4L * count;
            for (int i = 0; i < count; i++) {
                utf8[i] = ((String) values[i]).getBytes(StandardCharsets.UTF_8);
                bytes += utf8[i].length;
            }
            final ByteBuffer out = header(count, KIND_STRING, bytes);
            for (final byte[] one : utf8) {
                out.putInt(one.length).put(one);
            }
            return out.array();
        }
        return null;
    }

    private static ByteBuffer header(final int count, final byte kind, final long valueBytes) {
        final long total = Integer.BYTES + 1 + valueBytes;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("chunk too large to pack: " + total + " bytes");
        }
        return ByteBuffer.allocate((int) total).putInt(-count).put(kind);
    }

    /**
     * Reads packed {@code int} values without boxing them, when the body holds ints.
     *
     * @param count the number of values (the negated first int).
     * @param in    the body, positioned at the kind byte; left there when the kind is not {@code int}.
     * @return the values, or null when they are of another kind.
     */
    static int[] unpackInts(final int count, final ByteBuffer in) {
        if (in.get(in.position()) != KIND_INT) {
            return null;
        }
        in.get();
        final int[] values = new int[count];
        in.asIntBuffer().get(values);
        in.position(in.position() + 4 * count);
        return values;
    }

    /**
     * Reads packed values; the buffer is positioned after the negative count.
     *
     * @param count the number of values (the negated first int).
     * @param in    the body, positioned at the kind byte.
     * @return the values, boxed.
     * @throws IllegalArgumentException on an unknown kind.
     */
    static Object[] unpack(final int count, final ByteBuffer in) {
        final byte kind = in.get();
        final Object[] values = new Object[count];
        switch (kind) {
            case KIND_INT:
                for (int i = 0; i < count; i++) {
                    values[i] = in.getInt();
                }
                return values;
            case KIND_LONG:
                for (int i = 0; i < count; i++) {
                    values[i] = in.getLong();
                }
                return values;
            case KIND_DOUBLE:
                for (int i = 0; i < count; i++) {
                    values[i] = in.getDouble();
                }
                return values;
            case KIND_STRING:
                for (int i = 0; i < count; i++) {
                    final int length = in.getInt();
                    values[i] = new String(in.array(), in.arrayOffset() + in.position(), length,
                        StandardCharsets.UTF_8);
                    in.position(in.position() + length);
                }
                return values;
            default:
                throw new IllegalArgumentException("unknown packed kind " + kind);
        }
    }
}
