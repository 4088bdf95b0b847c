package dev.forklift.cluster.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed layout of chunks: what is packed, and that every value comes back as it went. */
class PackedValuesTest {
    private static Object[] roundTrip(final Object[] values) {
        final byte[] packed = PackedValues.pack(values);
        assertThat(packed).as("packed").isNotNull();
        final ByteBuffer in = ByteBuffer.wrap(packed);
        final int first = in.getInt();
        assertThat(first).isEqualTo(-values.length);
        final Object[] back = PackedValues.unpack(-first, in);
        assertThat(in.hasRemaining()).isFalse();
        return back;
    }

    @Test
    void intsLongsDoublesAndStringsComeBackEqualAndOfTheirType() {
        final Object[] ints = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
        assertThat(roundTrip(ints)).containsExactly(ints);
        final Object[] longs = {0L, Long.MIN_VALUE, Long.MAX_VALUE};
        assertThat(roundTrip(longs)).containsExactly(longs);
        final Object[] doubles = {0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        assertThat(roundTrip(doubles)).containsExactly(doubles);
        final Object[] strings = {"", "a", "\u00e9\u4e2d\ud83d\ude00", "x".repeat(70_000)};
        assertThat(roundTrip(strings)).containsExactly(strings);
        assertThat(PackedValues.pack(new Object[] {1, 2, 3})).hasSize(4 + 1 + 3 * 4);
    }

    @Test
    void emptyNullMixedAndOtherTypesAreNotPacked() {
        assertThat(PackedValues.pack(new Object[0])).isNull();
        assertThat(PackedValues.pack(new Object[] {1, null})).isNull();
        assertThat(PackedValues.pack(new Object[] {null, 1})).isNull();
        assertThat(PackedValues.pack(new Object[] {1, 2L})).isNull();
        assertThat(PackedValues.pack(new Object[] {(short) 1})).isNull();
        assertThat(PackedValues.pack(new Object[] {new StringBuilder("s")})).isNull();
    }
}
