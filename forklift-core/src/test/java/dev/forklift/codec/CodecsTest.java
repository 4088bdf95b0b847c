package dev.forklift.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecsTest {
    @Test
    void shouldPickFastPathsByType() {
        assertThat(Codecs.forType(byte[].class, AllowList.defaults()).id()).isEqualTo("forklift.bytes");
        assertThat(Codecs.forType(String.class, AllowList.defaults()).id()).isEqualTo("forklift.utf8");
        assertThat(Codecs.forType(Long.class, AllowList.defaults()).id()).isEqualTo("forklift.int64");
        assertThat(Codecs.forType(Object.class, AllowList.defaults()).id()).isEqualTo("forklift.dynamic");
        assertThat(Codecs.forType(List.class, AllowList.defaults()).id()).isEqualTo("forklift.object");
    }

    @Test
    void shouldRoundTripEveryFastPath() {
        assertRoundTrip(byte[].class, new byte[] {0, -1, 127});
        assertRoundTrip(String.class, "héllo wörld ✓");
        assertRoundTrip(Integer.class, Integer.MIN_VALUE);
        assertRoundTrip(Long.class, Long.MAX_VALUE);
        assertRoundTrip(Double.class, Math.PI);
        assertRoundTrip(Float.class, 1.5f);
        assertRoundTrip(Short.class, (short) -2);
        assertRoundTrip(Byte.class, (byte) 9);
        assertRoundTrip(Character.class, 'ß');
        assertRoundTrip(Boolean.class, true);
    }

    @Test
    void shouldTagEachValueInTheDynamicCodec() {
        final Codec<Object> codec = Codecs.forType(Object.class, AllowList.defaults());
        for (final Object value : new Object[] {"s", 1, 2L, 3.0, List.of(1, 2), new byte[] {5}}) {
            final ByteBuffer buffer = ByteBuffer.allocate(1024);
            codec.encode(value, buffer);
            buffer.flip();
            final Object decoded = codec.decode(buffer);
            if (value instanceof byte[]) {
                assertThat((byte[]) decoded).containsExactly((byte[]) value);
            } else {
                assertThat(decoded).isEqualTo(value);
            }
        }
    }

    @Test
    void shouldRejectFixedWidthMessagesOfTheWrongLength() {
        final Codec<Long> codec = Codecs.forType(Long.class, AllowList.defaults());
        assertThatThrownBy(() -> codec.decode(ByteBuffer.allocate(3)))
            .isInstanceOf(CodecException.class).hasMessageContaining("expected a message of 8 bytes, got 3");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldRefuseAValueOfAnotherTypeAndABooleanByteOtherThanZeroOrOne() {
        final Codec raw = Codecs.forType(Integer.class, AllowList.defaults());
        assertThatThrownBy(() -> raw.encode(1L, ByteBuffer.allocate(8)))
            .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Long");
        final Codec<Boolean> bool = Codecs.forType(Boolean.class, AllowList.defaults());
        assertThatThrownBy(() -> bool.decode(ByteBuffer.wrap(new byte[] {2})))
            .isInstanceOf(CodecException.class).hasMessageContaining("byte=2");
    }

    private static <T> void assertRoundTrip(final Class<T> type, final T value) {
        final Codec<T> codec = Codecs.forType(type, AllowList.defaults());
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        codec.encode(value, buffer);
        buffer.flip();
        final T decoded = codec.decode(buffer);
        if (value instanceof byte[]) {
            assertThat((byte[]) decoded).containsExactly((byte[]) value);
        } else {
            assertThat(decoded).isEqualTo(value);
        }
        assertThat(buffer.hasRemaining()).isFalse();
    }
}
