package dev.forklift.codec;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Random and corrupted bytes never crash, hang or bring a disallowed class to life: they end in a CodecException. */
class CodecFuzzTest {
    private static final int ROUNDS = 20_000;

    record Point(int x, int y) implements Serializable {
    }

    @Test
    void shouldSurviveRandomBytes() {
        final SplittableRandom random = new SplittableRandom(20261127L);
        final List<Codec<?>> codecs = List.of(Codecs.forType(Object.class, AllowList.defaults()),
            Codecs.forType(Point.class, AllowList.defaults()), Codecs.utf8(), Codecs.forType(Long.class,
                AllowList.defaults()), Codecs.forType(Boolean.class, AllowList.defaults()));
        for (int round = 0; round < ROUNDS; round++) {
            final byte[] bytes = new byte[random.nextInt(0, 256)];
            random.nextBytes(bytes);
            for (final Codec<?> codec : codecs) {
                decodeExpectingOnlyCodecErrors(codec, bytes);
            }
        }
    }

    @Test
    void shouldSurviveCorruptedValidMessages() {
        final SplittableRandom random = new SplittableRandom(7L);
        final Codec<Object> codec = Codecs.forType(Object.class, AllowList.defaults().allow(Point.class));
        final Object[] samples = {new Point(1, 2), new ArrayList<>(List.of("a", 1, 2.5)), Map.of("k", List.of(1L)),
            "text", 42, new byte[] {1, 2, 3}};
        for (final Object sample : samples) {
            final ByteBuffer buffer = ByteBuffer.allocate(4096);
            codec.encode(sample, buffer);
            final byte[] valid = new byte[buffer.position()];
            buffer.flip().get(valid);
            for (int round = 0; round < ROUNDS / samples.length; round++) {
                final byte[] corrupted = valid.clone();
                final int flips = 1 + random.nextInt(4);
                for (int flip = 0; flip < flips; flip++) {
                    corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
                }
                final int length = random.nextInt(4) == 0 ? random.nextInt(corrupted.length + 1) : corrupted.length;
                decodeExpectingOnlyCodecErrors(codec, java.util.Arrays.copyOf(corrupted, length));
            }
        }
    }

    private static void decodeExpectingOnlyCodecErrors(final Codec<?> codec, final byte[] bytes) {
        try {
            final Object value = codec.decode(ByteBuffer.wrap(bytes));
            if (value != null && !value.getClass().getName().startsWith("java.") && !(value instanceof Point)
                && !value.getClass().isArray()) {
                fail("decoded an unexpected class " + value.getClass().getName());
            }
        } catch (final CodecException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (final RuntimeException | Error unexpected) {
            throw new AssertionError("codec " + codec.id() + " threw " + unexpected + " for "
                + java.util.Arrays.toString(bytes), unexpected);
        }
    }
}
