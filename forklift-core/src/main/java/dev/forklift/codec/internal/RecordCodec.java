package dev.forklift.codec.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.ClassNotAllowedException;
import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The fast path for records of simple values: the components written one after the other in fixed width
 * (primitives), or with a presence byte (boxes) or a length prefix ({@code String} as UTF-8, {@code byte[]}),
 * after a 4-byte fingerprint of the record's name and component list, which catches a reader with another
 * version of the class.
 *
 * <p>Applies to records (of packages open to Forklift, as every package on the class path is) whose every component is a primitive, a primitive box, {@code String} or
 * {@code byte[]} ({@link #supports}); anything else takes the object codec. The record class must be on the
 * allow-list; decoding checks it before the canonical constructor runs, and a message whose bytes do not fit the
 * layout ends in a {@link CodecException}, never in an object. Thread-safe; the method handles are rebuilt
 * after deserialization.
 *
 * @param <T> the record type.
 */
public final class RecordCodec<T> implements Codec<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<Class<?>, Character> KINDS = Map.ofEntries(
        Map.entry(boolean.class, 'Z'), Map.entry(byte.class, 'B'), Map.entry(short.class, 'S'),
        Map.entry(char.class, 'C'), Map.entry(int.class, 'I'), Map.entry(long.class, 'J'),
        Map.entry(float.class, 'F'), Map.entry(double.class, 'D'),
        Map.entry(Boolean.class, 'z'), Map.entry(Byte.class, 'b'), Map.entry(Short.class, 's'),
        Map.entry(Character.class, 'c'), Map.entry(Integer.class, 'i'), Map.entry(Long.class, 'j'),
        Map.entry(Float.class, 'f'), Map.entry(Double.class, 'd'),
        Map.entry(String.class, 'T'), Map.entry(byte[].class, 'A'));

    private final Class<T> type;
    private final AllowList allowList;
    private transient Layout layout;

    /**
     * @param type      a record class that {@link #supports} accepts.
     * @param allowList the allow-list; it must allow {@code type}.
     * @throws ClassNotAllowedException if the allow-list does not allow the record class.
     * @throws IllegalArgumentException if the class is not a supported record or is not accessible.
     */
    public RecordCodec(final Class<T> type, final AllowList allowList) {
        if (!supports(type)) {
            throw new IllegalArgumentException("not a record of simple values: " + type.getName());
        }
        if (!allowList.isAllowed(type)) {
            throw new ClassNotAllowedException(type.getName());
        }
        this.type = type;
        this.allowList = allowList;
        this.layout = new Layout(type);
    }

    /**
     * @param type a class.
     * @return true if it is a record whose components are all primitives, boxes, strings or byte arrays.
     */
    public static boolean supports(final Class<?> type) {
        if (!type.isRecord()) {
            return false;
        }
        for (final RecordComponent component : type.getRecordComponents()) {
            if (!KINDS.containsKey(component.getType())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String id() {
        return "forklift.record";
    }

    @Override
    public void encode(final T value, final ByteBuffer target) {
        if (value.getClass() != type) {
            throw new CodecException("value of class " + value.getClass().getName() + " is not a " + type.getName());
        }
        layout().encode(value, target);
    }

    @Override
    public T decode(final ByteBuffer source) {
        if (!allowList.isAllowed(type)) {
            throw new ClassNotAllowedException(type.getName());
        }
        try {
            return type.cast(layout().decode(source));
        } catch (final BufferUnderflowException ex) {
            throw new CodecException("truncated " + type.getName() + " record: " + source.remaining() + " bytes", ex);
        }
    }

    private Layout layout() {
        Layout current = layout;
        if (current == null) {
            current = new Layout(type);
            layout = current;
        }
        return current;
    }

    /** The accessors, the canonical constructor and the fingerprint of one record class. */
    private static final class Layout {
        private final String typeName;
        private final char[] kinds;
        private final MethodHandle[] accessors;
        private final MethodHandle constructor;
        private final int fingerprint;

        Layout(final Class<?> type) {
            this.typeName = type.getName();
            final RecordComponent[] components = type.getRecordComponents();
            this.kinds = new char[components.length];
            this.accessors = new MethodHandle[components.length];
            final Class<?>[] parameterTypes = new Class<?>[components.length];
            final StringBuilder signature = new StringBuilder(type.getName()).append('(');
            try {
                final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                for (int i = 0; i < components.length; i++) {
                    final Class<?> componentType = components[i].getType();
                    kinds[i] = KINDS.get(componentType);
                    parameterTypes[i] = componentType;
                    accessors[i] = lookup.unreflect(components[i].getAccessor())
                        .asType(MethodType.methodType(Object.class, Object.class));
                    signature.append(components[i].getName()).append(':').append(kinds[i]).append(';');
                }
                this.constructor = lookup.findConstructor(type, MethodType.methodType(void.class, parameterTypes))
                    .asSpreader(Object[].class, components.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (final ReflectiveOperationException | SecurityException ex) {
                throw new IllegalArgumentException("record " + type.getName() + " is not accessible: " + ex, ex);
            }
            this.fingerprint = signature.append(')').toString().hashCode();
        }

        void encode(final Object value, final ByteBuffer target) {
            target.putInt(fingerprint);
            try {
                for (int i = 0; i < kinds.length; i++) {
                    put(kinds[i], accessors[i].invokeExact(value), target);
                }
            } catch (final RuntimeException | Error ex) {
                throw ex;
            } catch (final Throwable ex) {
                throw new CodecException("cannot read the components of a " + typeName + ": " + ex, ex);
            }
        }

        Object decode(final ByteBuffer source) {
            final int found = source.getInt();
            if (found != fingerprint) {
                throw new CodecException("record layout mismatch for " + typeName + ": fingerprint " + found
                    + ", expected " + fingerprint + " (another version of the class?)");
            }
            final Object[] values = new Object[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                values[i] = get(kinds[i], source);
            }
            if (source.hasRemaining()) {
                throw new CodecException(source.remaining() + " trailing bytes after a " + typeName + " record");
            }
            try {
                return constructor.invokeExact(values);
            } catch (final RuntimeException | Error ex) {
                throw new CodecException("the constructor of " + typeName + " refused the decoded values: " + ex, ex);
            } catch (final Throwable ex) {
                throw new CodecException("cannot construct a " + typeName + ": " + ex, ex);
            }
        }

        private static void put(final char kind, final Object value, final ByteBuffer target) {
            if (Character.isLowerCase(kind)) {
                if (value == null) {
                    target.put((byte) 0);
                    return;
                }
                target.put((byte) 1);
            }
            switch (kind) {
                case 'Z': case 'z': target.put((byte) ((Boolean) value ? 1 : 0)); break;
                case 'B': case 'b': target.put((Byte) value); break;
                case 'S': case 's': target.putShort((Short) value); break;
                case 'C': case 'c': target.putChar((Character) value); break;
                case 'I': case 'i': target.putInt((Integer) value); break;
                case 'J': case 'j': target.putLong((Long) value); break;
                case 'F': case 'f': target.putFloat((Float) value); break;
                case 'D': case 'd': target.putDouble((Double) value); break;
                case 'T': putBytes(value == null ? null : BuiltInCodecs.utf8((String) value), target); break;
                case 'A': putBytes((byte[]) value, target); break;
                default: throw new AssertionError(kind);
            }
        }

        private static void putBytes(final byte[] bytes, final ByteBuffer target) {
            if (bytes == null) {
                target.putInt(-1);
            } else {
                target.putInt(bytes.length).put(bytes);
            }
        }

        private static Object get(final char kind, final ByteBuffer source) {
            if (Character.isLowerCase(kind)) {
                final byte present = source.get();
                if (present == 0) {
                    return null;
                }
                if (present != 1) {
                    throw new CodecException("bad presence byte " + present);
                }
            }
            switch (kind) {
                case 'Z': case 'z': {
                    final byte b = source.get();
                    if (b != 0 && b != 1) {
                        throw new CodecException("not a boolean: byte=" + b);
                    }
                    return b == 1;
                }
                case 'B': case 'b': return source.get();
                case 'S': case 's': return source.getShort();
                case 'C': case 'c': return source.getChar();
                case 'I': case 'i': return source.getInt();
                case 'J': case 'j': return source.getLong();
                case 'F': case 'f': return source.getFloat();
                case 'D': case 'd': return source.getDouble();
                case 'T': {
                    final byte[] bytes = getBytes(source);
                    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
                }
                case 'A': return getBytes(source);
                default: throw new AssertionError(kind);
            }
        }

        private static byte[] getBytes(final ByteBuffer source) {
            final int length = source.getInt();
            if (length == -1) {
                return null;
            }
            if (length < 0 || length > source.remaining()) {
                throw new CodecException("bad length " + length + " with " + source.remaining() + " bytes left");
            }
            final byte[] bytes = new byte[length];
            source.get(bytes);
            return bytes;
        }
    }
}
