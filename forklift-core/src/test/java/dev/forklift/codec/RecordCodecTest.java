package dev.forklift.codec;

import dev.forklift.codec.internal.RecordCodec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {
    record Everything(boolean z, byte b, short s, char c, int i, long j, float f, double d, Boolean bz, Byte bb,
        Short bs, Character bc, Integer bi, Long bj, Float bf, Double bd, String text, byte[] bytes) {
    }

    record Reading(long id, double value, String sensor) {
    }

    record Other(long id, double value, String name) {
    }

    record WithList(String id, List<String> tags) {
    }

    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("not positive: " + value);
            }
        }
    }

    /** Counts every way it could come to life: static initialisation and construction. */
    record Gadget(long id) {
        static final AtomicInteger LIFE_SIGNS = new AtomicInteger();

        static {
            LIFE_SIGNS.incrementAndGet();
        }

        Gadget {
            LIFE_SIGNS.incrementAndGet();
        }
    }

    private static <T> T roundTrip(final Codec<T> codec, final T value) {
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        codec.encode(value, buffer);
        buffer.flip();
        final T decoded = codec.decode(buffer);
        assertThat(buffer.hasRemaining()).isFalse();
        return decoded;
    }

    @Test
    void shouldBeTheDefaultCodecOfARecordOfSimpleValues() {
        assertThat(Codecs.forType(Reading.class, AllowList.defaults()).id()).isEqualTo("forklift.record");
        assertThat(Codecs.forType(WithList.class, AllowList.defaults()).id()).isEqualTo("forklift.object");
    }

    @Test
    void shouldRoundTripEveryComponentKindWithAndWithoutNulls() {
        final Codec<Everything> codec = Codecs.forType(Everything.class, AllowList.defaults());
        final Everything full = new Everything(true, (byte) -3, (short) 1234, 'é', -7, Long.MIN_VALUE, 1.5f, Math.PI,
            false, (byte) 9, (short) -2, 'x', 42, 43L, -0.0f, Double.MAX_VALUE, "grüße", new byte[] {1, 2, 3});
        final Everything decoded = roundTrip(codec, full);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(full);
        final Everything nulls = new Everything(false, (byte) 0, (short) 0, '\0', 0, 0, 0, 0, null, null, null, null,
            null, null, null, null, null, null);
        assertThat(roundTrip(codec, nulls)).isEqualTo(nulls);
    }

    @Test
    void shouldRefuseAReaderWhoseRecordHasAnotherLayout() {
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        Codecs.forType(Reading.class, AllowList.defaults()).encode(new Reading(1, 2, "s"), buffer);
        buffer.flip();
        assertThatThrownBy(() -> Codecs.forType(Other.class, AllowList.defaults()).decode(buffer))
            .isInstanceOf(CodecException.class).hasMessageContaining("layout mismatch");
    }

    @Test
    void shouldEndTruncatedOrPaddedBytesInACodecException() {
        final Codec<Reading> codec = Codecs.forType(Reading.class, AllowList.defaults());
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        codec.encode(new Reading(1, 2, "sensor"), buffer);
        buffer.flip();
        for (int length = 0; length < buffer.limit(); length++) {
            final ByteBuffer truncated = buffer.duplicate().limit(length);
            assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(CodecException.class);
        }
        final ByteBuffer padded = ByteBuffer.allocate(buffer.limit() + 1).put(buffer.duplicate());
        padded.put((byte) 0).flip();
        assertThatThrownBy(() -> codec.decode(padded)).isInstanceOf(CodecException.class)
            .hasMessageContaining("trailing");
    }

    @Test
    void shouldReportAConstructorThatRefusesTheDecodedValues() {
        final Codec<Positive> codec = Codecs.forType(Positive.class, AllowList.defaults());
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        codec.encode(new Positive(5), buffer);
        buffer.putInt(4, -1).flip();
        assertThatThrownBy(() -> codec.decode(buffer)).isInstanceOf(CodecException.class)
            .hasMessageContaining("not positive");
    }

    @Test
    void shouldRefuseAValueOfAnotherClass() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        final Codec<Object> codec = (Codec) Codecs.forType(Reading.class, AllowList.defaults());
        assertThatThrownBy(() -> codec.encode(new Other(1, 2, "x"), ByteBuffer.allocate(64)))
            .isInstanceOf(CodecException.class);
    }

    @Test
    void shouldRefuseToBuildForARecordOutsideTheAllowList() {
        assertThatThrownBy(() -> new RecordCodec<>(Reading.class, AllowList.defaults()))
            .isInstanceOf(ClassNotAllowedException.class);
    }

    @Test
    void shouldCarryAllowedRecordsThroughTheDynamicCodecByName() {
        final Codec<Object> codec = Codecs.forType(Object.class, AllowList.defaults().allow(Reading.class));
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        codec.encode(new Reading(7, 8.5, "s-1"), buffer);
        buffer.flip();
        assertThat(buffer.get(0)).isEqualTo((byte) 7);
        assertThat(codec.decode(buffer)).isEqualTo(new Reading(7, 8.5, "s-1"));
    }

    @Test
    void shouldRefuseADisallowedRecordNameBeforeLoadingTheClass() {
        final int before = Gadget.LIFE_SIGNS.get();
        final ByteBuffer buffer = ByteBuffer.allocate(256);
        final byte[] name = Gadget.class.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        buffer.put((byte) 7).putShort((short) name.length).put(name).putInt(0).putLong(1).flip();
        final Codec<Object> reader = Codecs.forType(Object.class, AllowList.defaults());
        assertThatThrownBy(() -> reader.decode(buffer)).isInstanceOf(ClassNotAllowedException.class)
            .hasMessageContaining(Gadget.class.getName());
        assertThat(Gadget.LIFE_SIGNS.get()).isEqualTo(before);
    }
}
