package dev.forklift.jobs.wordcount;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The word counts' wire form, written and read chunk by chunk: the same bytes as one word at a time (entry count,
 * then per word its length, its UTF-8 bytes and its count as varints), in either byte order of the buffer.
 */
class WordCountsCodecTest {
    private static final List<String> WORDS = List.of("a", "seventy", "eighteen", "ninetynine", "fifteenfifteen1",
        "sixteensixteen16", "seventeen17chars0", "twentyfourtwentyfour2424", "twentyfivetwentyfive25255",
        "forty-bytes-forty-bytes-forty-bytes-4040".replace('-', 'x'), "straße", "ελληνικά", "日本語のことば", "ǆ");

    @Test
    void shouldWriteTheSameBytesAsWordByWordInBothByteOrdersAndReadThemBack() {
        final WordCounts counts = new WordCounts();
        for (int i = 0; i < WORDS.size(); i++) {
            counts.add(WORDS.get(i), i == 3 ? 1L << 40 : i + 1);
        }
        for (final ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            final byte[] expected = wordByWord(counts, order);
            final ByteBuffer buffer = ByteBuffer.allocate(4096).order(order);

            new WordCountsCodec().encode(counts, buffer);

            buffer.flip();
            final byte[] written = new byte[buffer.remaining()];
            buffer.duplicate().get(written);
            assertThat(written).as("bytes written, %s", order).isEqualTo(expected);
            final WordCounts decoded = new WordCountsCodec().decode(buffer);
            assertThat(decoded.toMap()).as("read back, %s", order).isEqualTo(counts.toMap());
            assertThat(decoded.total()).isEqualTo(counts.total());
            assertThat(buffer.remaining()).isZero();
        }
    }

    @Test
    void shouldReadManyWordsIntoATableSizedUpFrontAndRefuseAnEntryCountTheInputCannotHold() {
        final WordCounts counts = new WordCounts();
        for (int i = 0; i < 50_000; i++) {
            counts.add("w" + i, i + 1);
        }
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        new WordCountsCodec().encode(counts, buffer);
        buffer.flip();

        assertThat(new WordCountsCodec().decode(buffer).toMap()).isEqualTo(counts.toMap());
        final ByteBuffer lying = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).put(new byte[] {1, 'a', 1, 1});
        lying.flip();
        assertThatThrownBy(() -> new WordCountsCodec().decode(lying))
            .isInstanceOfAny(dev.forklift.codec.CodecException.class, BufferUnderflowException.class);
    }

    /** The wire form written one word at a time, from the map's entries in its own order. */
    private static byte[] wordByWord(final WordCounts counts, final ByteOrder order) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(counts.size()).array());
        counts.forEach((bytes, offset, length, count) -> {
            varint(out, length);
            out.writeBytes(Arrays.copyOfRange(bytes, offset, offset + length));
            varint(out, count);
        });
        return out.toByteArray();
    }

    private static void varint(final ByteArrayOutputStream out, final long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
