package dev.forklift.codec;

import dev.forklift.codec.internal.ByteBufferStreams;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * The safe default codec for objects: Java serialization guarded by an {@link AllowList}.
 *
 * <p>Encoding refuses an object graph that holds a class outside the list, before anything is written.
 * Decoding checks every class named in the bytes against the list before the class is initialised or any
 * object of it is created (an {@link ObjectInputFilter}), and bounds depth, references and array lengths, so
 * hostile or corrupted bytes end in a {@link CodecException}, never in a gadget chain, a hang or an
 * out-of-memory error. Values must be {@link Serializable}; records work out of the box.
 *
 * <p>Thread-safe and stateless apart from its immutable allow-list.
 *
 * @param <T> the declared type of the values.
 */
public final class ObjectCodec<T> implements Codec<T> {
    private static final long serialVersionUID = 1L;
    private static final long MAX_DEPTH = 64;
    private static final long MAX_REFERENCES = 1_000_000;

    private final Class<T> type;
    private final AllowList allowList;

    /**
     * @param type      the declared type of the values; it is added to the allow-list.
     * @param allowList the classes allowed besides {@code type}.
     */
    public ObjectCodec(final Class<T> type, final AllowList allowList) {
        this.type = type;
        this.allowList = type == Object.class || type.isInterface() ? allowList : allowList.allow(type);
    }

    /** @return the allow-list this codec enforces. */
    public AllowList allowList() {
        return allowList;
    }

    @Override
    public String id() {
        return "forklift.object";
    }

    @Override
    public void encode(final T value, final ByteBuffer target) {
        if (!type.isInstance(value)) {
            throw new CodecException("value of class " + value.getClass().getName() + " is not a " + type.getName());
        }
        try (ObjectOutputStream out = new CheckedOutputStream(ByteBufferStreams.output(target), allowList)) {
            out.writeObject(value);
        } catch (final BufferOverflowException | CodecException ex) {
            throw ex;
        } catch (final IOException ex) {
            throw new CodecException("cannot encode a " + value.getClass().getName() + ": " + ex, ex);
        }
    }

    @Override
    public T decode(final ByteBuffer source) {
        final int lengthBytes = source.remaining();
        final Filter filter = new Filter(allowList, lengthBytes);
        try (ObjectInputStream in = new ObjectInputStream(ByteBufferStreams.input(source))) {
            in.setObjectInputFilter(filter);
            final Object value = in.readObject();
            if (!type.isInstance(value)) {
                throw new CodecException("decoded a " + value.getClass().getName() + " where a " + type.getName()
                    + " was expected");
            }
            return type.cast(value);
        } catch (final InvalidClassException ex) {
            if (filter.rejectedClassName != null) {
                throw new ClassNotAllowedException(filter.rejectedClassName);
            }
            throw new CodecException("cannot decode " + lengthBytes + " bytes: " + ex, ex);
        } catch (final IOException | ClassNotFoundException | RuntimeException ex) {
            throw new CodecException("cannot decode " + lengthBytes + " bytes as a " + type.getName() + ": " + ex, ex);
        }
    }

    /** Refuses classes outside the allow-list while writing. */
    private static final class CheckedOutputStream extends ObjectOutputStream {
        private final AllowList allowList;

        CheckedOutputStream(final OutputStream out, final AllowList allowList) throws IOException {
            super(out);
            this.allowList = allowList;
        }

        @Override
        protected void annotateClass(final Class<?> type) {
            if (!allowList.isAllowed(type)) {
                throw new ClassNotAllowedException(type.getName());
            }
        }

        @Override
        protected void annotateProxyClass(final Class<?> type) {
            throw new ClassNotAllowedException(type.getName());
        }
    }

    /** Allow-list and bounds, consulted before any class is initialised or instantiated. */
    private static final class Filter implements ObjectInputFilter {
        private final AllowList allowList;
        private final long maxArrayLength;
        private String rejectedClassName;

        Filter(final AllowList allowList, final int lengthBytes) {
            this.allowList = allowList;
            this.maxArrayLength = Math.max(16, lengthBytes);
        }

        @Override
        public Status checkInput(final FilterInfo info) {
            if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > maxArrayLength) {
                return Status.REJECTED;
            }
            final Class<?> type = info.serialClass();
            if (type != null && !allowList.isAllowed(type)) {
                rejectedClassName = type.getName();
                return Status.REJECTED;
            }
            return type != null ? Status.ALLOWED : Status.UNDECIDED;
        }
    }
}
