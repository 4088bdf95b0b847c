package dev.forklift.process.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * Plain Java serialization to and from byte arrays.
 *
 * <p>Internal; not API.
 */
public final class Serialization {
    private Serialization() {
    }

    /**
     * @param value a serializable value (or graph).
     * @return its serialized form.
     * @throws IOException if some object in the graph cannot be serialized ({@link java.io.NotSerializableException}
     *                     names its class).
     */
    public static byte[] toBytes(final Object value) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
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
}
