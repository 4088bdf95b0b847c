package dev.forklift.codec;

import dev.forklift.codec.internal.ByteBufferStreams;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * The safe default codec for objects: Java serialization guarded by an {@link AllowList} and by limits that both
 * sides apply alike.
 *
 * <p>Encoding refuses an object graph that holds a class outside the list, before anything of that class is
 * written. Decoding checks every class named in the bytes against the list before the class is initialised or any
 * object of it is created (an {@link ObjectInputFilter}), and bounds depth and array lengths, so hostile or
 * corrupted bytes end in a {@link CodecException}, never in a gadget chain, a hang or an out-of-memory error.
 * Values must be {@link Serializable}; records work out of the box.
 *
 * <p>One set of limits for both sides: whatever {@link #encode} accepts, {@link #decode} returns. The depth limit,
 * {@code maxDepth} (default {@value #DEFAULT_MAX_DEPTH}, or the system property {@value #MAX_DEPTH_PROPERTY} of the
 * process that makes the codec), is checked while encoding, so a value nested deeper is refused by the put that
 * offers it, with a {@link CodecException} naming the limit and how to raise it, instead of being lost at the take.
 * The root is at depth 1 and every object it refers to one deeper; leaves (strings, primitive boxes, primitive
 * arrays, enum constants) do not count, nor do null and references to an object already written. The limit travels with the codec to other processes. Array lengths
 * are bounded by the message size only, which no value the encoder writes exceeds; the message size itself is the
 * queue's {@code maxMessageBytes}, enforced on both sides.
 *
 * <p>Thread-safe and stateless apart from its immutable allow-list and limit.
 *
 * @param <T> the declared type of the values.
 *
 * @serial exclude
 */
public final class ObjectCodec<T> implements Codec<T> {
    /** The system property that sets the default {@code maxDepth}, read when a codec is made. */
    public static final String MAX_DEPTH_PROPERTY = "forklift.codec.maxDepth";
    /** The default {@code maxDepth}. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** The largest {@code maxDepth}. */
    public static final int MAX_MAX_DEPTH = 1 << 24;
    /** Levels the reader allows past {@code maxDepth} for class descriptors and references (see {@link DecodeFilter}). */
    static final int DESCRIPTOR_LEVELS = 16;
    /** How to raise the depth limit, for messages. */
    static final String HOW_TO_RAISE = " (raise it with maxObjectDepth(n) on the Queue, Pool or Pipeline builder,"
        + " with -D" + MAX_DEPTH_PROPERTY + "=n in the process that builds it, or in the ObjectCodec constructor)";

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final AllowList allowList;
    private final int maxDepth;

    /**
     * A codec with the default depth limit ({@link #defaultMaxDepth()}).
     *
     * @param type      the declared type of the values; it is added to the allow-list.
     * @param allowList the classes allowed besides {@code type}.
     * @throws IllegalArgumentException if the system property {@value #MAX_DEPTH_PROPERTY} is set to a bad value.
     */
    public ObjectCodec(final Class<T> type, final AllowList allowList) {
        this(type, allowList, defaultMaxDepth());
    }

    /**
     * @param type      the declared type of the values; it is added to the allow-list.
     * @param allowList the classes allowed besides {@code type}.
     * @param maxDepth  the deepest object of a value, 1 to {@value #MAX_MAX_DEPTH}; see the class comment.
     * @throws IllegalArgumentException if {@code maxDepth} is out of range.
     */
    public ObjectCodec(final Class<T> type, final AllowList allowList, final int maxDepth) {
        this.type = type;
        this.allowList = type == Object.class || type.isInterface() ? allowList : allowList.allow(type);
        this.maxDepth = checkMaxDepth(maxDepth);
    }

    /**
     * @return the depth limit of codecs made without one: the system property {@value #MAX_DEPTH_PROPERTY} if set,
     *         else {@value #DEFAULT_MAX_DEPTH}.
     * @throws IllegalArgumentException if the property is not a whole number from 1 to {@value #MAX_MAX_DEPTH}.
     */
    public static int defaultMaxDepth() {
        final String value = System.getProperty(MAX_DEPTH_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_DEPTH;
        }
        try {
            return checkMaxDepth(Integer.parseInt(value.trim()));
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("system property " + MAX_DEPTH_PROPERTY + " must be a whole number "
                + "from 1 to " + MAX_MAX_DEPTH + ": " + MAX_DEPTH_PROPERTY + "=" + value, ex);
        }
    }

    /**
     * @param maxDepth a depth limit.
     * @return it, if it is from 1 to {@value #MAX_MAX_DEPTH}.
     * @throws IllegalArgumentException otherwise, naming the value.
     */
    public static int checkMaxDepth(final int maxDepth) {
        if (maxDepth < 1 || maxDepth > MAX_MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth of the object codec must be in 1.." + MAX_MAX_DEPTH
                + ": maxDepth=" + maxDepth);
        }
        return maxDepth;
    }

    /** @return the allow-list this codec enforces. */
    public AllowList allowList() {
        return allowList;
    }

    /** @return the deepest object a value may hold (see the class comment). */
    public int maxDepth() {
        return maxDepth > 0 ? maxDepth : DEFAULT_MAX_DEPTH;
    }

    @Override
    public String id() {
        return "forklift.object";
    }

    /**
     * {@inheritDoc}
     *
     * @throws CodecException also if the value is nested deeper than {@link #maxDepth()}, naming the limit and how
     *                        to raise it.
     */
    @Override
    public void encode(final T value, final ByteBuffer target) {
        if (!type.isInstance(value)) {
            throw new CodecException("value of class " + value.getClass().getName() + " is not a " + type.getName());
        }
        final int start = target.position();
        final GuardedOutputStream out;
        try {
            out = new GuardedOutputStream(ByteBufferStreams.output(target), allowList, maxDepth(), value.getClass());
        } catch (final IOException ex) {
            throw new CodecException("cannot encode a " + value.getClass().getName() + ": " + ex, ex);
        }
        try (out) {
            out.writeObject(value);
        } catch (final BufferOverflowException | CodecException ex) {
            throw ex;
        } catch (final IOException ex) {
            throw new CodecException("cannot encode a " + value.getClass().getName() + ": " + ex, ex);
        }
        if (out.mustVerify()) {
            verify(value, target, start);
        }
    }

    /** Decodes what was just written, so that a value the reader would refuse is refused here instead. */
    private void verify(final T value, final ByteBuffer target, final int start) {
        final ByteBuffer written = target.duplicate();
        written.limit(written.position()).position(start);
        try {
            decode(written);
        } catch (final CodecException ex) {
            throw new CodecException("a " + value.getClass().getName() + " was refused because it would not decode: "
                + ex.getMessage(), ex);
        }
    }

    @Override
    public T decode(final ByteBuffer source) {
        final int lengthBytes = source.remaining();
        final DecodeFilter filter = new DecodeFilter(allowList, maxDepth(), lengthBytes);
        try (ObjectInputStream in = new ContextLoaderInputStream(ByteBufferStreams.input(source))) {
            in.setObjectInputFilter(filter);
            final Object value = in.readObject();
            if (!type.isInstance(value)) {
                throw new CodecException("decoded a " + value.getClass().getName() + " where a " + type.getName()
                    + " was expected");
            }
            return type.cast(value);
        } catch (final InvalidClassException ex) {
            if (filter.rejectedClassName() != null) {
                throw new ClassNotAllowedException(filter.rejectedClassName());
            }
            if (filter.rejection() != null) {
                throw new CodecException("cannot decode " + lengthBytes + " bytes: " + filter.rejection(), ex);
            }
            throw new CodecException("cannot decode " + lengthBytes + " bytes: " + ex, ex);
        } catch (final IOException | ClassNotFoundException | RuntimeException ex) {
            throw new CodecException("cannot decode " + lengthBytes + " bytes as a " + type.getName() + ": " + ex, ex);
        }
    }

    /**
     * Resolves classes through the thread's context class loader first, as the dynamic codec does for records (and
     * as containers and child processes expect), then as Java serialization does by default. Classes are loaded
     * without being initialised; the allow-list decides before any is.
     */
    private static final class ContextLoaderInputStream extends ObjectInputStream {
        ContextLoaderInputStream(final java.io.InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(final java.io.ObjectStreamClass descriptor)
            throws IOException, ClassNotFoundException {
            final ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(descriptor.getName(), false, context);
                } catch (final ClassNotFoundException ex) {
                    // not visible there: the default resolution below
                }
            }
            return super.resolveClass(descriptor);
        }
    }

    @Override
    public String toString() {
        return "ObjectCodec{type=" + type.getName() + ", maxDepth=" + maxDepth() + ", " + allowList + '}';
    }
}
