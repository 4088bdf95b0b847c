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

        @Override
        public void encode(final String value, final ByteBuffer target) {
            target.put(value.getBytes(StandardCharsets.UTF_8));
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

    /** {@code Integer} as 4 bytes. */
    public enum Int32 implements Codec<Integer> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.int32";
        }

        @Override
        public void encode(final Integer value, final ByteBuffer target) {
            target.putInt(value);
        }

        @Override
        public Integer decode(final ByteBuffer source) {
            return source.getInt(checkLength(source, Integer.BYTES));
        }
    }

    /** {@code Long} as 8 bytes. */
    public enum Int64 implements Codec<Long> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.int64";
        }

        @Override
        public void encode(final Long value, final ByteBuffer target) {
            target.putLong(value);
        }

        @Override
        public Long decode(final ByteBuffer source) {
            return source.getLong(checkLength(source, Long.BYTES));
        }
    }

    /** {@code Double} as 8 bytes. */
    public enum Float64 implements Codec<Double> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.float64";
        }

        @Override
        public void encode(final Double value, final ByteBuffer target) {
            target.putDouble(value);
        }

        @Override
        public Double decode(final ByteBuffer source) {
            return source.getDouble(checkLength(source, Double.BYTES));
        }
    }

    /** {@code Float} as 4 bytes. */
    public enum Float32 implements Codec<Float> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.float32";
        }

        @Override
        public void encode(final Float value, final ByteBuffer target) {
            target.putFloat(value);
        }

        @Override
        public Float decode(final ByteBuffer source) {
            return source.getFloat(checkLength(source, Float.BYTES));
        }
    }

    /** {@code Short} as 2 bytes. */
    public enum Int16 implements Codec<Short> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.int16";
        }

        @Override
        public void encode(final Short value, final ByteBuffer target) {
            target.putShort(value);
        }

        @Override
        public Short decode(final ByteBuffer source) {
            return source.getShort(checkLength(source, Short.BYTES));
        }
    }

    /** {@code Byte} as 1 byte. */
    public enum Int8 implements Codec<Byte> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.int8";
        }

        @Override
        public void encode(final Byte value, final ByteBuffer target) {
            target.put(value);
        }

        @Override
        public Byte decode(final ByteBuffer source) {
            return source.get(checkLength(source, Byte.BYTES));
        }
    }

    /** {@code Character} as 2 bytes. */
    public enum Char16 implements Codec<Character> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.char16";
        }

        @Override
        public void encode(final Character value, final ByteBuffer target) {
            target.putChar(value);
        }

        @Override
        public Character decode(final ByteBuffer source) {
            return source.getChar(checkLength(source, Character.BYTES));
        }
    }

    /** {@code Boolean} as 1 byte, 0 or 1. */
    public enum Bool implements Codec<Boolean> {
        INSTANCE;

        @Override
        public String id() {
            return "forklift.bool";
        }

        @Override
        public void encode(final Boolean value, final ByteBuffer target) {
            target.put((byte) (value ? 1 : 0));
        }

        @Override
        public Boolean decode(final ByteBuffer source) {
            final byte value = source.get(checkLength(source, 1));
            if (value != 0 && value != 1) {
                throw new CodecException("not a boolean: byte=" + value);
            }
            return value == 1;
        }
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
