package dev.forklift.pipeline.wordcount;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts per word, keyed by the word's lower-cased UTF-8 bytes: an open-addressing hash table over one byte arena,
 * so counting a word allocates nothing. Travels between processes through {@link WordCountsCodec}. Not
 * thread-safe: one map per thread.
 */
public final class WordCounts {
    private static final int MIN_TABLE = 1 << 10;

    /** Slot: the word hash in the high 32 bits, entry index + 1 in the low 32 (0 = empty). */
    private long[] table = new long[MIN_TABLE];
    private int[] hashes = new int[MIN_TABLE / 2];
    private int[] offsets = new int[MIN_TABLE / 2];
    private int[] lengths = new int[MIN_TABLE / 2];
    private long[] counts = new long[MIN_TABLE / 2];
    private byte[] arena = new byte[1 << 14];
    private int size;
    private int arenaUsed;
    private long total;

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
        return 4L + arenaUsed + 15L * size;
    }

    /**
     * Adds to the count of a word.
     *
     * @param word   the lower-cased UTF-8 bytes of the word.
     * @param offset where they start.
     * @param length how many.
     * @param hash   {@link #hash(byte[], int, int)} of the bytes.
     * @param count  how much to add.
     */
    public void add(final byte[] word, final int offset, final int length, final int hash, final long count) {
        final long[] slots = table;
        final int mask = slots.length - 1;
        int slot = hash & mask;
        while (true) {
            final long entrySlot = slots[slot];
            if (entrySlot == 0) {
                insert(slot, word, offset, length, hash, count);
                return;
            }
            if ((int) (entrySlot >>> 32) == hash) {
                final int entry = (int) entrySlot - 1;
                if (lengths[entry] == length && sameBytes(offsets[entry], word, offset, length)) {
                    counts[entry] += count;
                    total += count;
                    return;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean sameBytes(final int at, final byte[] word, final int offset, final int length) {
        if (length > 16) {
            return Arrays.equals(arena, at, at + length, word, offset, offset + length);
        }
        final byte[] bytes = arena;
        for (int i = 0; i < length; i++) {
            if (bytes[at + i] != word[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param word a word, already lower-cased.
     * @param count how much to add.
     */
    public void add(final String word, final long count) {
        final byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        add(bytes, 0, bytes.length, hash(bytes, 0, bytes.length), count);
    }

    /** Adds every count of another map to this one. */
    public void addAll(final WordCounts other) {
        for (int e = 0; e < other.size; e++) {
            add(other.arena, other.offsets[e], other.lengths[e], other.hashes[e], other.counts[e]);
        }
    }

    /**
     * @param word a lower-cased word.
     * @return its count, 0 when absent.
     */
    public long count(final String word) {
        final byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        final int hash = hash(bytes, 0, bytes.length);
        final int mask = table.length - 1;
        for (int slot = hash & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            final int e = (int) table[slot] - 1;
            if (hashes[e] == hash && Arrays.equals(arena, offsets[e], offsets[e] + lengths[e], bytes, 0, bytes.length)) {
                return counts[e];
            }
        }
        return 0;
    }

    /**
     * Splits this map by partition of the word hash into pieces of at most about {@code maxBytes} encoded bytes.
     *
     * @param partitions the partition count.
     * @param maxBytes   the largest encoded piece wanted (a single longer word gets a piece of its own).
     * @param out        receives (partition, piece).
     */
    public void split(final int partitions, final long maxBytes, final PieceSink out) throws InterruptedException {
        final WordCounts[] pieces = new WordCounts[partitions];
        for (int e = 0; e < size; e++) {
            final int p = partitionOf(hashes[e], partitions);
            if (pieces[p] == null) {
                pieces[p] = new WordCounts();
            }
            pieces[p].add(arena, offsets[e], lengths[e], hashes[e], counts[e]);
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

    /** Visits every entry. */
    public void forEach(final EntryVisitor visitor) {
        for (int e = 0; e < size; e++) {
            visitor.visit(arena, offsets[e], lengths[e], counts[e]);
        }
    }

    /** Visits one entry of a map. */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @param bytes  the arena holding the word.
         * @param offset where the word's UTF-8 bytes start.
         * @param length how many.
         * @param count  its count.
         */
        void visit(byte[] bytes, int offset, int length, long count);
    }

    /**
     * The hash of a word's bytes, the same in every process (it picks the partition).
     *
     * @return the hash.
     */
    public static int hash(final byte[] bytes, final int offset, final int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return mix(h);
    }

    static int mix(final int h) {
        final int x = h * 0x9E3779B9;
        return x ^ (x >>> 15);
    }

    /**
     * @param hash       a word hash.
     * @param partitions the partition count.
     * @return the partition of the word.
     */
    public static int partitionOf(final int hash, final int partitions) {
        return (int) (((hash >>> 8) & 0xffffffL) % partitions);
    }

    private void insert(final int slot, final byte[] word, final int offset, final int length, final int hash,
        final long count) {
        if (size == hashes.length) {
            final int n = size * 2;
            hashes = Arrays.copyOf(hashes, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            counts = Arrays.copyOf(counts, n);
        }
        if (arenaUsed + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
        }
        System.arraycopy(word, offset, arena, arenaUsed, length);
        hashes[size] = hash;
        offsets[size] = arenaUsed;
        lengths[size] = length;
        counts[size] = count;
        arenaUsed += length;
        table[slot] = ((long) hash << 32) | (size + 1L);
        size++;
        total += count;
        if (size * 2 > table.length) {
            rehash();
        }
    }

    private void rehash() {
        final long[] bigger = new long[table.length * 2];
        final int mask = bigger.length - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = ((long) hashes[e] << 32) | (e + 1L);
        }
        table = bigger;
    }
}
