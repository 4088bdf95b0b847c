package dev.forklift.pool.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization of functions and initializers, which are code the parent chose to run (not data): they are
 * decoded only in workers, with the worker's context class loader. Internal; not API; shared with the pool over a
 * broker, whose worker hosts decode the callers' functions the same way.
 */
public final class Serialized {
    private Serialized() {
    }

    /**
     * @param value a serializable object.
     * @return its Java serialization.
     * @throws IOException when it cannot be serialized.
     */
    public static byte[] toBytes(final Object value) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes code the caller chose to run, resolving classes with the thread's context class loader first.
     *
     * @param bytes a Java serialization.
     * @return the object.
     * @throws IOException            when the bytes are not a valid serialization.
     * @throws ClassNotFoundException when a class of the object is missing here.
     */
    public static Object fromBytes(final byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        LoaderObjectInputStream(final InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            final ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (final ClassNotFoundException ex) {
                    // fall back to the default resolution
                }
            }
            return super.resolveClass(desc);
        }
    }
}
