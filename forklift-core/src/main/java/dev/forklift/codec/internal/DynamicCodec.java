package dev.forklift.codec.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.codec.ObjectCodec;

import java.nio.ByteBuffer;

/**
 * A codec for values of any allowed class: one tag byte naming the fast path, then that path's bytes; values
 * without a fast path go through an {@link ObjectCodec} with the same allow-list.
 */
public final class DynamicCodec implements Codec<Object> {
    private static final long serialVersionUID = 1L;

    private static final byte TAG_BYTES = 1;
    private static final byte TAG_STRING = 2;
    private static final byte TAG_INT = 3;
    private static final byte TAG_LONG = 4;
    private static final byte TAG_DOUBLE = 5;
    private static final byte TAG_OBJECT = 6;

    private final ObjectCodec<Object> objects;

    /** @param allowList the classes allowed besides the fast-path ones. */
    public DynamicCodec(final AllowList allowList) {
        this.objects = new ObjectCodec<>(Object.class, allowList);
    }

    @Override
    public String id() {
        return "forklift.dynamic";
    }

    @Override
    public void encode(final Object value, final ByteBuffer target) {
        if (value instanceof byte[]) {
            target.put(TAG_BYTES);
            BuiltInCodecs.Bytes.INSTANCE.encode((byte[]) value, target);
        } else if (value instanceof String) {
            target.put(TAG_STRING);
            BuiltInCodecs.Utf8.INSTANCE.encode((String) value, target);
        } else if (value instanceof Integer) {
            target.put(TAG_INT).putInt((Integer) value);
        } else if (value instanceof Long) {
            target.put(TAG_LONG).putLong((Long) value);
        } else if (value instanceof Double) {
            target.put(TAG_DOUBLE).putDouble((Double) value);
        } else {
            target.put(TAG_OBJECT);
            objects.encode(value, target);
        }
    }

    @Override
    public Object decode(final ByteBuffer source) {
        if (!source.hasRemaining()) {
            throw new CodecException("empty message has no type tag");
        }
        final byte tag = source.get();
        switch (tag) {
            case TAG_BYTES: return BuiltInCodecs.Bytes.INSTANCE.decode(source);
            case TAG_STRING: return BuiltInCodecs.Utf8.INSTANCE.decode(source);
            case TAG_INT: return BuiltInCodecs.Int32.INSTANCE.decode(source);
            case TAG_LONG: return BuiltInCodecs.Int64.INSTANCE.decode(source);
            case TAG_DOUBLE: return BuiltInCodecs.Float64.INSTANCE.decode(source);
            case TAG_OBJECT: return objects.decode(source);
            default: throw new CodecException("unknown type tag " + tag);
        }
    }
}
