package dev.forklift.codec.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.ClassNotAllowedException;
import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.codec.ObjectCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A codec for values of any allowed class: one tag byte naming the fast path, then that path's bytes; values
 * without a fast path go through an {@link ObjectCodec} with the same allow-list. Allowed records of simple
 * values ({@link RecordCodec#supports}) travel as their class name and components; the reader checks the name
 * against the allow-list before it loads the class, let alone creates an object of it.
 */
public final class DynamicCodec implements Codec<Object> {
    private static final long serialVersionUID = 1L;

    private static final byte TAG_BYTES = 1;
    private static final byte TAG_STRING = 2;
    private static final byte TAG_INT = 3;
    private static final byte TAG_LONG = 4;
    private static final byte TAG_DOUBLE = 5;
    private static final byte TAG_OBJECT = 6;
    private static final byte TAG_RECORD = 7;
    private static final int MAX_CLASS_NAME_BYTES = 1024;

    private final ObjectCodec<Object> objects;
    private transient volatile ClassValue<RecordEntry> writers;
    private transient volatile Map<String, RecordCodec<Object>> readers;

    /**
     * A dynamic codec whose object codec has the default depth limit ({@link ObjectCodec#defaultMaxDepth()}).
     *
     * @param allowList the classes allowed besides the fast-path ones.
     */
    public DynamicCodec(final AllowList allowList) {
        this(allowList, ObjectCodec.defaultMaxDepth());
    }

    /**
     * @param allowList the classes allowed besides the fast-path ones.
     * @param maxDepth  the depth limit of the object codec ({@link ObjectCodec#maxDepth()}).
     */
    public DynamicCodec(final AllowList allowList, final int maxDepth) {
        this.objects = new ObjectCodec<>(Object.class, allowList, maxDepth);
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
        } else if (value instanceof Record && writableRecord(value.getClass()) != null) {
            final RecordEntry entry = writableRecord(value.getClass());
            target.put(TAG_RECORD).putShort((short) entry.name.length).put(entry.name);
            entry.codec.encode(value, target);
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
            case TAG_INT: return BuiltInCodecs.Fixed.INT32.decode(source);
            case TAG_LONG: return BuiltInCodecs.Fixed.INT64.decode(source);
            case TAG_DOUBLE: return BuiltInCodecs.Fixed.FLOAT64.decode(source);
            case TAG_OBJECT: return objects.decode(source);
            case TAG_RECORD: return decodeRecord(source);
            default: throw new CodecException("unknown type tag " + tag);
        }
    }

    private Object decodeRecord(final ByteBuffer source) {
        final int nameLength = source.remaining() >= 2 ? source.getShort() : -1;
        if (nameLength < 1 || nameLength > MAX_CLASS_NAME_BYTES || nameLength > source.remaining()) {
            throw new CodecException("bad record class name length " + nameLength);
        }
        final byte[] nameBytes = new byte[nameLength];
        source.get(nameBytes);
        final String name = new String(nameBytes, StandardCharsets.UTF_8);
        Map<String, RecordCodec<Object>> cache = readers;
        if (cache == null) {
            cache = new ConcurrentHashMap<>();
            readers = cache;
        }
        RecordCodec<Object> codec = cache.get(name);
        if (codec == null) {
            codec = readableRecord(name);
            cache.put(name, codec);
        }
        return codec.decode(source);
    }

    /** The codec of a record class named in a message: the name is checked before the class is even loaded. */
    @SuppressWarnings("unchecked")
    private RecordCodec<Object> readableRecord(final String name) {
        if (!objects.allowList().isAllowedName(name)) {
            throw new ClassNotAllowedException(name);
        }
        final Class<?> type;
        try {
            final ClassLoader context = Thread.currentThread().getContextClassLoader();
            type = Class.forName(name, false, context != null ? context : DynamicCodec.class.getClassLoader());
        } catch (final ClassNotFoundException | LinkageError ex) {
            throw new CodecException("cannot load record class " + name + ": " + ex, ex);
        }
        final RecordEntry entry = writableRecord(type);
        if (entry == null) {
            throw new CodecException("class " + name + " is not an accessible record of simple values");
        }
        return entry.codec;
    }

    /**
     * @return the codec and encoded name of an allowed, accessible record class of simple values whose name the
     *         reader accepts (at most {@value #MAX_CLASS_NAME_BYTES} bytes of UTF-8), or null: such a record takes
     *         the object codec.
     */
    private RecordEntry writableRecord(final Class<?> type) {
        ClassValue<RecordEntry> cache = writers;
        if (cache == null) {
            final AllowList allowList = objects.allowList();
            cache = new ClassValue<>() {
                @Override
                @SuppressWarnings("unchecked")
                protected RecordEntry computeValue(final Class<?> recordType) {
                    final byte[] name = recordType.getName().getBytes(StandardCharsets.UTF_8);
                    if (!allowList.isAllowed(recordType) || !RecordCodec.supports(recordType)
                        || name.length > MAX_CLASS_NAME_BYTES) {
                        return null;
                    }
                    try {
                        return new RecordEntry((RecordCodec<Object>) (RecordCodec<?>) new RecordCodec<>(recordType,
                            allowList), name);
                    } catch (final IllegalArgumentException inaccessible) {
                        return null;
                    }
                }
            };
            writers = cache;
        }
        return cache.get(type);
    }

    /** A record class's codec and its name in UTF-8, as written before its components. */
    private static final class RecordEntry {
        final RecordCodec<Object> codec;
        final byte[] name;

        RecordEntry(final RecordCodec<Object> codec, final byte[] name) {
            this.codec = codec;
            this.name = name;
        }
    }
}
