package dev.forklift.codec.internal;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The fast-path codecs: raw bytes, UTF-8 strings, and the primitive boxes in fixed-width big-endian form.
 * Each is a stateless singleton (serialization keeps it one).
 */
public final class BuiltInCodecs {
    private BuiltInCodecs() {
    }

    /** {@code byte[]} as itself. */
    public enum Bytes implements Codec<byte[]> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.bytes";
        }

        @Override
        public void encode(final byte[] value, final ByteBuffer target) {
            target.put(value);
        }

        @Override
        public byte[] decode(final ByteBuffer source) {
            final byte[] value = new byte[source.remaining()];
            source.get(value);
            return value;
        }
    }

    /** {@code String} as UTF-8. */
    public enum Utf8 implements Codec<String> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.utf8";
        }

        /**
         * {@inheritDoc}
         *
         * @throws CodecException if the string holds a lone surrogate (half of a pair, as left by cutting a string
         *                        inside a character), which UTF-8 cannot carry: it would arrive as '?'.
         */
        @Override
        public void encode(final String value, final ByteBuffer target) {
            target.put(utf8(value));
        }

        @Override
        public String decode(final ByteBuffer source) {
            final String value;
            if (source.hasArray()) {
                value = new String(source.array(), source.arrayOffset() + source.position(), source.remaining(),
                    StandardCharsets.UTF_8);
                source.position(source.limit());
            } else {
                final byte[] bytes = new byte[source.remaining()];
                source.get(bytes);
                value = new String(bytes, StandardCharsets.UTF_8);
            }
            return value;
        }
    }

    /**
     * The primitive boxes in fixed-width big-endian form, one constant per type. Each constant is a
     * {@code Codec<Object>} that accepts only its own box type ({@link #type()}); {@code Codecs} hands them out typed.
     */
    public enum Fixed implements Codec<Object> {
        /** {@code Integer} as 4 bytes. */
        INT32("forklift.int32", Integer.class, Integer.BYTES),
        /** {@code Long} as 8 bytes. */
        INT64("forklift.int64", Long.class, Long.BYTES),
        /** {@code Double} as 8 bytes. */
        FLOAT64("forklift.float64", Double.class, Double.BYTES),
        /** {@code Float} as 4 bytes. */
        FLOAT32("forklift.float32", Float.class, Float.BYTES),
        /** {@code Short} as 2 bytes. */
        INT16("forklift.int16", Short.class, Short.BYTES),
        /** {@code Byte} as 1 byte. */
        INT8("forklift.int8", Byte.class, Byte.BYTES),
        /** {@code Character} as 2 bytes. */
        CHAR16("forklift.char16", Character.class, Character.BYTES),
        /** {@code Boolean} as 1 byte, 0 or 1; any other byte is refused. */
        BOOL("forklift.bool", Boolean.class, 1);

        private final String id;
        private final Class<?> type;
        private final int widthBytes;

        Fixed(final String id, final Class<?> type, final int widthBytes) {
            this.id = id;
            this.type = type;
            this.widthBytes = widthBytes;
        }

        /** @return the box type this constant encodes. */
        public Class<?> type() {
            return type;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void encode(final Object value, final ByteBuffer target) {
            if (!type.isInstance(value)) {
                throw new CodecException("codec " + id + " encodes " + type.getName() + ", not "
                    + (value == null ? "null" : value.getClass().getName()));
            }
            switch (this) {
                case INT32: target.putInt((Integer) value); break;
                case INT64: target.putLong((Long) value); break;
                case FLOAT64: target.putDouble((Double) value); break;
                case FLOAT32: target.putFloat((Float) value); break;
                case INT16: target.putShort((Short) value); break;
                case INT8: target.put((Byte) value); break;
                case CHAR16: target.putChar((Character) value); break;
                default: target.put((byte) ((Boolean) value ? 1 : 0)); break;
            }
        }

        @Override
        public Object decode(final ByteBuffer source) {
            final int index = checkLength(source, widthBytes);
            switch (this) {
                case INT32: return source.getInt(index);
                case INT64: return source.getLong(index);
                case FLOAT64: return source.getDouble(index);
                case FLOAT32: return source.getFloat(index);
                case INT16: return source.getShort(index);
                case INT8: return source.get(index);
                case CHAR16: return source.getChar(index);
                default: return readBoolean(source.get(index));
            }
        }

        private static Boolean readBoolean(final byte value) {
            if (value != 0 && value != 1) {
                throw new CodecException("not a boolean: byte=" + value);
            }
            return value == 1;
        }
    }

    /**
     * A string's UTF-8 bytes, refusing what UTF-8 cannot carry, so that the string decoded is the string encoded.
     *
     * @param value a string.
     * @return its UTF-8 bytes.
     * @throws CodecException if it holds a lone surrogate, naming its index.
     */
    public static byte[] utf8(final String value) {
        final int loneSurrogate = firstLoneSurrogate(value);
        if (loneSurrogate >= 0) {
            throw new CodecException("a string of " + value.length() + " chars holds a lone surrogate U+"
                + Integer.toHexString(value.charAt(loneSurrogate)).toUpperCase(java.util.Locale.ROOT) + " at index "
                + loneSurrogate + " (half of a character, as left by cutting a string inside a pair), which UTF-8 "
                + "cannot carry; it would arrive as '?'");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the index of the first surrogate that is not part of a high-low pair, or -1. */
    static int firstLoneSurrogate(final String value) {
        final int length = value.length();
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Checks that a fixed-width message has exactly the expected length and consumes it.
     *
     * @return the absolute index where the value starts.
     */
    static int checkLength(final ByteBuffer source, final int expectedBytes) {
        if (source.remaining() != expectedBytes) {
            throw new CodecException("expected a message of " + expectedBytes + " bytes, got " + source.remaining());
        }
        final int index = source.position();
        source.position(index + expectedBytes);
        return index;
    }
}
