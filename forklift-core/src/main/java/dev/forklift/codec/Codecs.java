package dev.forklift.codec;

import dev.forklift.codec.internal.BuiltInCodecs;
import dev.forklift.codec.internal.DynamicCodec;
import dev.forklift.codec.internal.RecordCodec;

import java.util.HashMap;
import java.util.Map;

/**
 * The built-in codecs, and the choice of codec for a declared type.
 *
 * <p>Fast paths: {@code byte[]} as itself, {@code String} as UTF-8, the primitive boxes in fixed width, and
 * public records whose components are all primitives, boxes, strings or byte arrays (their components one after
 * the other, no Java serialization). Every other type goes through {@link ObjectCodec}, which refuses classes
 * outside its {@link AllowList}.
 */
public final class Codecs {
    private static final Map<Class<?>, Codec<?>> FAST_PATHS = fastPaths();

    private Codecs() {
    }

    /**
     * The codec Forklift uses for a declared element type: its fast path when there is one (also for records of
     * simple values); for {@code Object},
     * a tagged codec that takes the fast path per value and the object codec otherwise; else the object codec.
     *
     * @param type      the declared type of the values.
     * @param allowList the classes the object codec may handle besides {@code type}.
     * @param <T>       the declared type.
     * @return the codec.
     */
    public static <T> Codec<T> forType(final Class<T> type, final AllowList allowList) {
        return forType(type, allowList, ObjectCodec.defaultMaxDepth());
    }

    /**
     * As {@link #forType(Class, AllowList)}, with the depth limit of the object codec given
     * ({@link ObjectCodec#maxDepth()}).
     *
     * @param type      the declared type of the values.
     * @param allowList the classes the object codec may handle besides {@code type}.
     * @param maxDepth  the deepest object of a value the object codec carries, 1 to
     *                  {@value ObjectCodec#MAX_MAX_DEPTH}.
     * @param <T>       the declared type.
     * @return the codec.
     * @throws IllegalArgumentException if {@code maxDepth} is out of range.
     */
    @SuppressWarnings("unchecked")
    public static <T> Codec<T> forType(final Class<T> type, final AllowList allowList, final int maxDepth) {
        ObjectCodec.checkMaxDepth(maxDepth);
        final Codec<?> fastPath = FAST_PATHS.get(type);
        if (fastPath != null) {
            return (Codec<T>) fastPath;
        }
        if (type == Object.class) {
            return (Codec<T>) new DynamicCodec(allowList, maxDepth);
        }
        if (RecordCodec.supports(type)) {
            try {
                return new RecordCodec<>(type, allowList.allow(type));
            } catch (final IllegalArgumentException inaccessible) {
                // a record in a package not open to Forklift: Java serialization can still carry it
            }
        }
        return new ObjectCodec<>(type, allowList, maxDepth);
    }

    private static Map<Class<?>, Codec<?>> fastPaths() {
        final Map<Class<?>, Codec<?>> paths = new HashMap<>();
        paths.put(byte[].class, BuiltInCodecs.Bytes.INSTANCE);
        paths.put(String.class, BuiltInCodecs.Utf8.INSTANCE);
        for (final BuiltInCodecs.Fixed fixed : BuiltInCodecs.Fixed.values()) {
            paths.put(fixed.type(), fixed);
        }
        return Map.copyOf(paths);
    }

    /** @return the codec of {@code byte[]}: the bytes themselves. */
    public static Codec<byte[]> bytes() {
        return BuiltInCodecs.Bytes.INSTANCE;
    }

    /** @return the codec of {@code String}: UTF-8. */
    public static Codec<String> utf8() {
        return BuiltInCodecs.Utf8.INSTANCE;
    }

    /**
     * @param type      the declared type of the values, added to the allow-list.
     * @param allowList the other classes allowed.
     * @param <T>       the declared type.
     * @return Java serialization guarded by the allow-list.
     */
    public static <T> Codec<T> objects(final Class<T> type, final AllowList allowList) {
        return new ObjectCodec<>(type, allowList);
    }
}
