package dev.forklift.process.internal;

import dev.forklift.codec.AllowList;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plain Java serialization to and from byte arrays; the writing side can name every class it wrote, and the
 * reading side can refuse, before anything is created, every class outside an {@link AllowList}.
 *
 * <p>Internal; not API.
 */
public final class Serialization {
    private Serialization() {
    }

    /**
     * What {@link #toBytesNamingClasses} wrote.
     *
     * @param bytes      the serialized form.
     * @param classNames the binary names of every class whose descriptor the stream holds (proxy classes as their
     *                   interfaces).
     */
    public record Encoded(byte[] bytes, Set<String> classNames) {
    }

    /**
     * @param value a serializable value (or graph).
     * @return its serialized form.
     * @throws IOException if some object in the graph cannot be serialized ({@link java.io.NotSerializableException}
     *                     names its class).
     */
    public static byte[] toBytes(final Object value) throws IOException {
        return toBytesNamingClasses(value).bytes();
    }

    /**
     * Serializes and notes every class written, which is exactly the allow-list the reading side needs.
     *
     * @param value a serializable value (or graph).
     * @return the serialized form and the names of its classes.
     * @throws IOException if some object in the graph cannot be serialized.
     */
    public static Encoded toBytesNamingClasses(final Object value) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<String> names = new TreeSet<>();
        try (ObjectOutputStream out = new NamingOutputStream(bytes, names)) {
            out.writeObject(value);
        }
        return new Encoded(bytes.toByteArray(), names);
    }

    /**
     * Decodes without any check of classes: for frames this process's own peers made and that carry no user
     * classes (failure envelopes), never for a child's spec or arguments.
     *
     * @param bytes a serialized form made by {@link #toBytes}.
     * @return the decoded value; objects with a {@code readResolve} (such as shared-memory queues) are re-attached.
     * @throws IOException            if the bytes are corrupt or a class fails to decode.
     * @throws ClassNotFoundException if a class of the graph is not on this process's class path.
     */
    public static Object fromBytes(final byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    /**
     * Decodes, refusing every class the stream names outside the list before it is initialised or any object of it
     * is created. A proxy class passes when all its interfaces do. An object that an allowed class's
     * {@code readResolve} returned (a queue attached from its reference, a record from its serial form) is checked
     * by the JDK after it exists; its class is not named in the stream, and passes. Array lengths and the number of
     * references are bounded by the length of the bytes (each element or reference takes at least one byte).
     *
     * @param bytes   a serialized form.
     * @param allowed the classes that may appear.
     * @return the decoded value.
     * @throws ClassRefusedException  naming the first class outside the list.
     * @throws IOException            if the bytes are corrupt or a class fails to decode.
     * @throws ClassNotFoundException if a class of the graph is not on this process's class path.
     */
    public static Object fromBytes(final byte[] bytes, final AllowList allowed) throws IOException,
        ClassNotFoundException {
        final Set<Class<?>> named = Collections.newSetFromMap(new IdentityHashMap<>());
        final Filter filter = new Filter(allowed, bytes.length, named);
        try (ObjectInputStream in = new NamedClassesInputStream(new ByteArrayInputStream(bytes), named)) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (final InvalidClassException ex) {
            if (filter.refused != null) {
                throw new ClassRefusedException(filter.refused, ex);
            }
            throw ex;
        }
    }

    /**
     * @param names class names.
     * @return the defaults of {@link AllowList} and these names.
     */
    public static AllowList allowListOf(final Collection<String> names) {
        return AllowList.defaults().allowNames(names.toArray(new String[0]));
    }

    /** A class outside the allow-list was met while decoding; nothing of it was created. */
    public static final class ClassRefusedException extends InvalidClassException {
        private static final long serialVersionUID = 1L;
        private final String className;

        ClassRefusedException(final String className, final Throwable cause) {
            super(className, "class not on the allow-list of this stream: " + className);
            this.className = className;
            initCause(cause);
        }

        /** @return the refused class. */
        public String className() {
            return className;
        }
    }

    /** Notes the name of every class descriptor written. */
    private static final class NamingOutputStream extends ObjectOutputStream {
        private final Set<String> names;

        NamingOutputStream(final OutputStream out, final Set<String> names) throws IOException {
            super(out);
            this.names = names;
        }

        @Override
        protected void annotateClass(final Class<?> type) {
            names.add(type.getName());
        }

        @Override
        protected void annotateProxyClass(final Class<?> type) {
            for (final Class<?> face : type.getInterfaces()) {
                names.add(face.getName());
            }
        }
    }

    /** Notes every class resolved from a descriptor of the stream, before the filter sees it. */
    private static final class NamedClassesInputStream extends ObjectInputStream {
        private final Set<Class<?>> named;

        NamedClassesInputStream(final InputStream in, final Set<Class<?>> named) throws IOException {
            super(in);
            this.named = named;
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            final Class<?> type = super.resolveClass(desc);
            named.add(type);
            return type;
        }

        @Override
        protected Class<?> resolveProxyClass(final String[] interfaces) throws IOException, ClassNotFoundException {
            final Class<?> type = super.resolveProxyClass(interfaces);
            named.add(type);
            return type;
        }
    }

    /** The allow-list as an {@link ObjectInputFilter}, for the classes the stream names. */
    private static final class Filter implements ObjectInputFilter {
        private final AllowList allowed;
        private final long maxCount;
        private final Set<Class<?>> named;
        private volatile String refused;

        Filter(final AllowList allowed, final int lengthBytes, final Set<Class<?>> named) {
            this.allowed = allowed;
            this.maxCount = Math.max(16, lengthBytes);
            this.named = named;
        }

        @Override
        public Status checkInput(final FilterInfo info) {
            if (info.arrayLength() > maxCount || info.references() > maxCount) {
                return Status.REJECTED;
            }
            final Class<?> type = info.serialClass();
            if (type == null) {
                return Status.UNDECIDED;
            }
            if (!named.contains(type)) {
                // Not from a descriptor of the stream: the result of an allowed class's readResolve, already made.
                return Status.UNDECIDED;
            }
            if (Proxy.isProxyClass(type)) {
                for (final Class<?> face : type.getInterfaces()) {
                    if (!allowed.isAllowed(face)) {
                        refused = face.getName();
                        return Status.REJECTED;
                    }
                }
                return Status.ALLOWED;
            }
            if (!allowed.isAllowed(type)) {
                refused = type.getName();
                return Status.REJECTED;
            }
            return Status.ALLOWED;
        }
    }
}
