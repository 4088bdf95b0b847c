package dev.forklift.jobs.wordcount;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts per word, keyed by the word's lower-cased UTF-8 bytes: an open-addressing hash table (power-of-two size,
 * linear probing) so counting a word allocates nothing. Travels between processes through {@link WordCountsCodec}.
 * Not thread-safe: one map per thread.
 *
 * <p><b>Keys as chunks.</b> A word's bytes are handled as little-endian 64-bit chunks (the last one padded with
 * zero bytes): chunk 0 holds bytes 0-7, chunk 1 bytes 8-15, and so on. The tokenizer builds the chunks while it
 * scans, so neither a per-word copy nor a per-byte hash loop is needed here.
 *
 * <p><b>Slot layout</b> (three longs):
 * <pre>
 *  +-----------+-----------------------------------+--------------------------------------+
 *  | chunk 0   | chunk 1 (length &lt;= 16)            | min(length, 0xFFFF) &lt;&lt; 48 | count    |
 *  |           | or arena offset (length &gt; 16)     | (0 = empty slot)                     |
 *  +-----------+-----------------------------------+--------------------------------------+
 * </pre>
 * A word of at most 16 bytes lives in its slot; a longer one keeps chunk 0 in the slot (which settles nearly
 * every mismatch) and the rest in a {@code long[]} arena: its exact length, then chunks 1.. . Counts are limited
 * to 2^48 - 1 per word (an {@link ArithmeticException} beyond).
 */
public final class WordCounts {
    private static final int MIN_SLOTS = 1 << 10;
    private static final int STRIDE = 3;
    /** Words up to this many bytes are kept in the slot itself. */
    private static final int INLINE_BYTES = 16;
    private static final int COUNT_BITS = 48;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final int MAX_LENGTH_FIELD = 0xFFFF;
    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;

    private long[] slots = new long[MIN_SLOTS * STRIDE];
    private int slotMask = MIN_SLOTS - 1;
    private long[] arena = new long[1 << 9];
    private int arenaUsed;
    private int size;
    private long wordBytes;
    private long total;
    private long[] scratch = new long[4];

    /** An empty map. */
    public WordCounts() {
    }

    /**
     * An empty map with room for {@code expectedWords} words without growing: {@link WordCountsCodec} knows how
     * many it decodes, and each growth re-hashes every word already in (7 times for 50,000 words).
     *
     * @param expectedWords the words expected, at least 0 (the caller bounds it by the input it has).
     */
    WordCounts(final int expectedWords) {
        int slotCount = MIN_SLOTS;
        while ((long) expectedWords * 2 >= slotCount && slotCount < (1 << 26)) {
            slotCount <<= 1;
        }
        slots = new long[slotCount * STRIDE];
        slotMask = slotCount - 1;
    }

    /** @return the number of distinct words. */
    public int size() {
        return size;
    }

    /** @return the sum of all counts. */
    public long total() {
        return total;
    }

    /** @return about how many bytes {@link WordCountsCodec} needs for this map. */
    public long encodedBytesEstimate() {
        return 4L + wordBytes + 11L * size;
    }

    /**
     * Adds to the count of a word given as chunks (see the class comment).
     *
     * @param chunks the word's lower-cased UTF-8 bytes as little-endian chunks, zero-padded; at least
     *               {@code (length + 7) / 8} of them.
     * @param length the word's length in bytes, at least 1.
     * @param hash   {@link #hash(long[], int)} of the chunks.
     * @param count  how much to add, at least 0.
     */
    public void add(final long[] chunks, final int length, final int hash, final long count) {
        final long c0 = chunks[0];
        final boolean inline = length <= INLINE_BYTES;
        final long c1 = inline && length > 8 ? chunks[1] : 0;
        final long lengthField = (long) Math.min(length, MAX_LENGTH_FIELD) << COUNT_BITS;
        final long[] table = slots;
        final int mask = slotMask;
        int slot = hash & mask;
        while (true) {
            final int base = slot * STRIDE;
            final long meta = table[base + 2];
            if (meta == 0) {
                insert(base, chunks, c0, c1, length, lengthField, count);
                return;
            }
            if (table[base] == c0 && (meta & ~COUNT_MASK) == lengthField
                && (inline ? table[base + 1] == c1 : sameTail((int) table[base + 1], chunks, length))) {
                final long sum = (meta & COUNT_MASK) + count;
                if (sum > COUNT_MASK) {
                    throw new ArithmeticException("word count above 2^48 - 1");
                }
                table[base + 2] = lengthField | sum;
                total += count;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Adds to the count of a word given as bytes.
     *
     * @param word   the lower-cased UTF-8 bytes of the word.
     * @param offset where they start.
     * @param length how many, at least 1.
     * @param hash   {@link #hash(byte[], int, int)} of the bytes.
     * @param count  how much to add.
     */
    public void add(final byte[] word, final int offset, final int length, final int hash, final long count) {
        final long[] chunks = toChunks(word, offset, length);
        add(chunks, length, hash, count);
    }

    /**
     * @param word a word, already lower-cased.
     * @param count how much to add.
     */
    public void add(final String word, final long count) {
        final byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        add(bytes, 0, bytes.length, hash(bytes, 0, bytes.length), count);
    }

    /**
     * Adds every count of another map to this one.
     *
     * @param other the map whose counts are added; unchanged.
     */
    public void addAll(final WordCounts other) {
        other.forEachChunked(this::add);
    }

    /**
     * @param word a lower-cased word.
     * @return its count, 0 when absent.
     */
    public long count(final String word) {
        final byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return 0;
        }
        final long[] chunks = toChunks(bytes, 0, bytes.length);
        final int length = bytes.length;
        final long lengthField = (long) Math.min(length, MAX_LENGTH_FIELD) << COUNT_BITS;
        final long c1 = length <= INLINE_BYTES && length > 8 ? chunks[1] : 0;
        for (int slot = hash(chunks, length) & slotMask; slots[slot * STRIDE + 2] != 0; slot = (slot + 1) & slotMask) {
            final int base = slot * STRIDE;
            if (slots[base] == chunks[0] && (slots[base + 2] & ~COUNT_MASK) == lengthField
                && (length <= INLINE_BYTES ? slots[base + 1] == c1 : sameTail((int) slots[base + 1], chunks, length))) {
                return slots[base + 2] & COUNT_MASK;
            }
        }
        return 0;
    }

    /**
     * Splits this map by partition of the word hash into pieces of at most about {@code maxBytes} encoded bytes.
     *
     * @param partitions the partition count.
     * @param maxBytes   the largest encoded piece wanted (a single longer word gets a piece of its own).
     * @param out        receives (partition, piece); with one partition and a map that fits in one piece, the
     *                   piece is this map itself (do not change it afterwards).
     * @throws InterruptedException if {@code out} was interrupted while it waited.
     */
    public void split(final int partitions, final long maxBytes, final PieceSink out) throws InterruptedException {
        if (partitions == 1 && encodedBytesEstimate() <= maxBytes) {
            if (size > 0) {
                out.accept(0, this);
            }
            return;
        }
        final WordCounts[] pieces = new WordCounts[partitions];
        final long[] chunks = new long[8];
        long[] buffer = chunks;
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base + 2];
            if (meta == 0) {
                continue;
            }
            buffer = chunksOf(base, buffer);
            final int length = lengthOf(base);
            final int hash = hash(buffer, length);
            final int p = partitionOf(hash, partitions);
            if (pieces[p] == null) {
                pieces[p] = new WordCounts();
            }
            pieces[p].add(buffer, length, hash, meta & COUNT_MASK);
            if (pieces[p].encodedBytesEstimate() >= maxBytes) {
                out.accept(p, pieces[p]);
                pieces[p] = null;
            }
        }
        for (int p = 0; p < partitions; p++) {
            if (pieces[p] != null) {
                out.accept(p, pieces[p]);
            }
        }
    }

    /** Receives the pieces of {@link #split}. */
    @FunctionalInterface
    public interface PieceSink {
        /**
         * @param partition the partition of every word in the piece.
         * @param piece     the piece.
         * @throws InterruptedException if interrupted while passing it on.
         */
        void accept(int partition, WordCounts piece) throws InterruptedException;
    }

    /** @return the counts as a map from word to count (a copy). */
    public Map<String, Long> toMap() {
        final Map<String, Long> map = new HashMap<>(size * 2);
        forEach((bytes, offset, length, count) -> map.put(new String(bytes, offset, length, StandardCharsets.UTF_8),
            count));
        return map;
    }

    /**
     * Visits every entry (the byte array passed may be reused between calls).
     *
     * @param visitor called once per entry.
     */
    public void forEach(final EntryVisitor visitor) {
        byte[] bytes = new byte[64];
        long[] buffer = new long[8];
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base + 2];
            if (meta == 0) {
                continue;
            }
            final int length = lengthOf(base);
            buffer = chunksOf(base, buffer);
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, bytes.length * 2)];
            }
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (buffer[i >>> 3] >>> ((i & 7) << 3));
            }
            visitor.visit(bytes, 0, length, meta & COUNT_MASK);
        }
    }

    private void forEachChunked(final ChunkVisitor visitor) {
        long[] buffer = new long[8];
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base + 2];
            if (meta == 0) {
                continue;
            }
            final int length = lengthOf(base);
            buffer = chunksOf(base, buffer);
            visitor.visit(buffer, length, hash(buffer, length), meta & COUNT_MASK);
        }
    }

    /**
     * Visits every entry as chunks without hashing it: the codec writes the chunks' bytes as they are.
     *
     * @param visitor called once per entry; the array passed is reused between calls.
     */
    void forEachChunks(final ChunksVisitor visitor) {
        long[] buffer = new long[8];
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base + 2];
            if (meta == 0) {
                continue;
            }
            buffer = chunksOf(base, buffer);
            visitor.visit(buffer, lengthOf(base), meta & COUNT_MASK);
        }
    }

    /** Visits one entry as chunks, for {@link WordCountsCodec}. */
    @FunctionalInterface
    interface ChunksVisitor {
        /**
         * @param chunks the word's bytes as little-endian chunks, zero-padded (see the class comment).
         * @param length the word's length in bytes.
         * @param count  its count.
         */
        void visit(long[] chunks, int length, long count);
    }

    /** Visits one entry as chunks. */
    @FunctionalInterface
    private interface ChunkVisitor {
        void visit(long[] chunks, int length, int hash, long count);
    }

    /** Visits one entry of a map. */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @param bytes  the array holding the word.
         * @param offset where the word's UTF-8 bytes start.
         * @param length how many.
         * @param count  its count.
         */
        void visit(byte[] bytes, int offset, int length, long count);
    }

    /**
     * The hash of a word's bytes, the same in every process (it picks the partition); equal to
     * {@link #hash(long[], int)} of the word's chunks.
     *
     * @param bytes  the bytes holding the word.
     * @param offset where the word starts in them.
     * @param length its length in bytes.
     * @return the hash.
     */
    public static int hash(final byte[] bytes, final int offset, final int length) {
        long h = length * M1;
        for (int at = 0; at < length; at += 8) {
            long chunk = 0;
            final int end = Math.min(8, length - at);
            for (int k = 0; k < end; k++) {
                chunk |= (bytes[offset + at + k] & 0xFFL) << (k << 3);
            }
            h = step(h, chunk);
        }
        return finish(h);
    }

    /**
     * The hash of a word given as chunks (see the class comment).
     *
     * @param chunks the chunks, zero-padded.
     * @param length the word's length in bytes.
     * @return the hash.
     */
    public static int hash(final long[] chunks, final int length) {
        long h = length * M1;
        final int n = (length + 7) >>> 3;
        for (int i = 0; i < n; i++) {
            h = step(h, chunks[i]);
        }
        return finish(h);
    }

    /** One step of the word hash over one chunk. */
    static long step(final long h, final long chunk) {
        return Long.rotateLeft(h ^ (chunk * M2), 31) * M1;
    }

    /** The last step of the word hash. */
    static int finish(final long h) {
        long x = h ^ (h >>> 33);
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return (int) (x ^ (x >>> 32));
    }

    /**
     * @param hash       a word hash.
     * @param partitions the partition count.
     * @return the partition of the word.
     */
    public static int partitionOf(final int hash, final int partitions) {
        return (int) (((hash >>> 8) & 0xffffffL) % partitions);
    }

    private long[] toChunks(final byte[] word, final int offset, final int length) {
        final int n = (length + 7) >>> 3;
        if (scratch.length < n) {
            scratch = new long[Math.max(n, scratch.length * 2)];
        }
        final long[] chunks = scratch;
        Arrays.fill(chunks, 0, n, 0L);
        for (int i = 0; i < length; i++) {
            chunks[i >>> 3] |= (word[offset + i] & 0xFFL) << ((i & 7) << 3);
        }
        return chunks;
    }

    private int lengthOf(final int base) {
        final int field = (int) (slots[base + 2] >>> COUNT_BITS);
        return field <= INLINE_BYTES ? field : (int) arena[(int) slots[base + 1]];
    }

    /** @return the chunks of the word in the slot at {@code base}, in {@code buffer} or a bigger copy. */
    private long[] chunksOf(final int base, final long[] buffer) {
        final int length = lengthOf(base);
        final int n = (length + 7) >>> 3;
        final long[] out = buffer.length >= Math.max(n, 2) ? buffer : new long[Math.max(n, buffer.length * 2)];
        out[0] = slots[base];
        if (length <= INLINE_BYTES) {
            out[1] = slots[base + 1];
        } else {
            System.arraycopy(arena, (int) slots[base + 1] + 1, out, 1, n - 1);
        }
        return out;
    }

    private boolean sameTail(final int at, final long[] chunks, final int length) {
        if (arena[at] != length) {
            return false;
        }
        final int n = (length + 7) >>> 3;
        return Arrays.equals(arena, at + 1, at + n, chunks, 1, n);
    }

    private void insert(final int base, final long[] chunks, final long c0, final long c1, final int length,
        final long lengthField, final long count) {
        if (count > COUNT_MASK) {
            throw new ArithmeticException("word count above 2^48 - 1");
        }
        slots[base] = c0;
        if (length <= INLINE_BYTES) {
            slots[base + 1] = c1;
        } else {
            final int n = (length + 7) >>> 3;
            if (arenaUsed + n > arena.length) {
                final long grown = Math.max(arena.length * 2L, (long) arenaUsed + n);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("word arena full");
                }
                arena = Arrays.copyOf(arena, (int) grown);
            }
            arena[arenaUsed] = length;
            System.arraycopy(chunks, 1, arena, arenaUsed + 1, n - 1);
            slots[base + 1] = arenaUsed;
            arenaUsed += n;
        }
        slots[base + 2] = lengthField | count;
        size++;
        wordBytes += length;
        total += count;
        if (size * 2 > slotMask + 1) {
            rehash();
        }
    }

    private void rehash() {
        final int slotCount = (slotMask + 1) * 2;
        final long[] bigger = new long[slotCount * STRIDE];
        final int mask = slotCount - 1;
        long[] buffer = new long[8];
        for (int base = 0; base < slots.length; base += STRIDE) {
            if (slots[base + 2] == 0) {
                continue;
            }
            buffer = chunksOf(base, buffer);
            int slot = hash(buffer, lengthOf(base)) & mask;
            while (bigger[slot * STRIDE + 2] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(slots, base, bigger, slot * STRIDE, STRIDE);
        }
        slots = bigger;
        slotMask = mask;
    }
}
