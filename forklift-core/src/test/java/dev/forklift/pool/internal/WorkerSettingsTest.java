package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The serialized form of a worker's settings, which every worker decodes before it takes its first task. */
class WorkerSettingsTest {
    @Test
    void roundTripsThroughJavaSerialization() throws Exception {
        final WorkerSettings settings = new WorkerSettings(AllowList.defaults().allowNames("com.acme.Order"), 4096,
            new byte[] {1, 2, 3});

        final WorkerSettings decoded = (WorkerSettings) decode(encode(settings), new ArrayList<>());

        assertThat(decoded.maxMessageBytes()).isEqualTo(4096);
        assertThat(decoded.initializer()).containsExactly(1, 2, 3);
        assertThat(decoded.allowList().isAllowedName("com.acme.Order")).isTrue();
        assertThat(decoded.allowList().isAllowedName("com.acme.Other")).isFalse();
    }

    @Test
    void keepsANullInitializer() throws Exception {
        final WorkerSettings decoded = (WorkerSettings) decode(encode(
            new WorkerSettings(AllowList.defaults(), 1024, null)), new ArrayList<>());

        assertThat(decoded.initializer()).isNull();
        assertThat(decoded.maxMessageBytes()).isEqualTo(1024);
    }

    @Test
    void serializedFormHoldsNoRecord() throws Exception {
        // Decoding a record makes a fresh JVM build method handles for its constructor: a worker must not pay
        // that before its first task.
        final List<Class<?>> decodedClasses = new ArrayList<>();

        decode(encode(new WorkerSettings(AllowList.defaults(), 1024, new byte[] {7})), decodedClasses);

        assertThat(decodedClasses).isNotEmpty();
        assertThat(decodedClasses).noneMatch(Class::isRecord);
    }

    private static byte[] encode(final Object value) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Object decode(final byte[] bytes, final List<Class<?>> seen) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                final Class<?> type = super.resolveClass(desc);
                seen.add(type);
                return type;
            }
        }) {
            return in.readObject();
        }
    }
}
