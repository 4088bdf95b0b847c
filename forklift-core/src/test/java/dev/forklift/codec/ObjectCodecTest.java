package dev.forklift.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectCodecTest {
    record Order(String id, long quantity, List<String> tags) implements Serializable {
    }

    /** A class that counts every way it could come to life: static init, construction, readObject. */
    static final class Gadget implements Serializable {
        static final AtomicInteger LIFE_SIGNS = new AtomicInteger();
        private static final long serialVersionUID = 1L;

        static {
            LIFE_SIGNS.incrementAndGet();
        }

        Gadget() {
            LIFE_SIGNS.incrementAndGet();
        }

        private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException {
            LIFE_SIGNS.incrementAndGet();
            in.defaultReadObject();
        }
    }

    @Test
    void shouldRoundTripAnAllowedRecordWithCollections() {
        final ObjectCodec<Order> codec = new ObjectCodec<>(Order.class, AllowList.defaults());
        final Order order = new Order("o-1", 42, new ArrayList<>(List.of("a", "b")));
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        codec.encode(order, buffer);
        buffer.flip();
        assertThat(codec.decode(buffer)).isEqualTo(order);
    }

    @Test
    void shouldRefuseToEncodeAClassOutsideTheAllowList() {
        final ObjectCodec<Object> codec = new ObjectCodec<>(Object.class, AllowList.defaults());
        final Map<String, Object> graph = new HashMap<>();
        graph.put("inner", new Order("x", 1, List.of()));
        assertThatThrownBy(() -> codec.encode(graph, ByteBuffer.allocate(4096)))
            .isInstanceOf(ClassNotAllowedException.class)
            .hasMessageContaining(Order.class.getName());
    }

    @Test
    void shouldRefuseToDecodeAClassOutsideTheAllowListBeforeItComesToLife() throws IOException {
        final byte[] hostile = javaSerialize(new ArrayList<>(List.of(new Gadget())));
        final int before = Gadget.LIFE_SIGNS.get();
        final ObjectCodec<Object> codec = new ObjectCodec<>(Object.class, AllowList.defaults());

        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(hostile)))
            .isInstanceOf(ClassNotAllowedException.class)
            .hasMessageContaining(Gadget.class.getName());
        assertThat(Gadget.LIFE_SIGNS.get()).isEqualTo(before);
    }

    @Test
    void shouldDecodeAClassOnceAllowed() throws IOException {
        final byte[] bytes = javaSerialize(new Order("o-2", 7, List.of("z")));
        final ObjectCodec<Object> codec = new ObjectCodec<>(Object.class, AllowList.defaults().allow(Order.class));
        assertThat(codec.decode(ByteBuffer.wrap(bytes))).isEqualTo(new Order("o-2", 7, List.of("z")));
    }

    @Test
    void shouldRejectAValueOfAnotherTypeThanDeclared() throws IOException {
        final byte[] bytes = javaSerialize("just a string");
        final ObjectCodec<Order> codec = new ObjectCodec<>(Order.class, AllowList.defaults());
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(bytes)))
            .isInstanceOf(CodecException.class)
            .hasMessageContaining("java.lang.String");
    }

    @Test
    void shouldRefuseJdkPackagesAsWildcards() {
        assertThatThrownBy(() -> AllowList.defaults().allowPackage("java.util"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("packageName=java.util");
    }

    @Test
    void shouldOverflowWhenTheTargetIsTooSmall() {
        final ObjectCodec<Order> codec = new ObjectCodec<>(Order.class, AllowList.defaults());
        assertThatThrownBy(() -> codec.encode(new Order("o", 1, List.of()), ByteBuffer.allocate(8)))
            .isInstanceOf(java.nio.BufferOverflowException.class);
    }

    static byte[] javaSerialize(final Object value) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
