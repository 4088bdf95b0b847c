package dev.forklift.jobs.wordcount;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;

import java.nio.ByteBuffer;

/**
 * The wire form of {@link WordCounts}: an entry count, then per entry the word's UTF-8 length (varint), its bytes
 * and its count (varint).
 *
 * <pre>
 *  +-----------------+------------------+-------------+----------------+-----
 *  | entries (int32) | length (varint)  | word bytes  | count (varint) | ...
 *  +-----------------+------------------+-------------+----------------+-----
 * </pre>
 */
public final class WordCountsCodec implements Codec<WordCounts> {
    private static final long serialVersionUID = 1L;

    @Override
    public String id() {
        return "forklift.wordcounts";
    }

    @Override
    public void encode(final WordCounts value, final ByteBuffer target) {
        target.putInt(value.size());
        value.forEach((bytes, offset, length, count) -> {
            putVarint(target, length);
            target.put(bytes, offset, length);
            putVarint(target, count);
        });
    }

    @Override
    public WordCounts decode(final ByteBuffer source) {
        final int entries = source.getInt();
        if (entries < 0) {
            throw new CodecException("negative entry count in word counts: " + entries);
        }
        final WordCounts counts = new WordCounts();
        byte[] word = new byte[64];
        for (int e = 0; e < entries; e++) {
            final long length = getVarint(source);
            if (length < 0 || length > source.remaining()) {
                throw new CodecException("bad word length " + length + " at entry " + e);
            }
            if (word.length < length) {
                word = new byte[(int) length * 2];
            }
            source.get(word, 0, (int) length);
            counts.add(word, 0, (int) length, WordCounts.hash(word, 0, (int) length), getVarint(source));
        }
        return counts;
    }

    private static void putVarint(final ByteBuffer target, final long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            target.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        target.put((byte) v);
    }

    private static long getVarint(final ByteBuffer source) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            final byte b = source.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new CodecException("varint longer than 10 bytes");
    }
}
