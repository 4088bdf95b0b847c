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
    private static final int MIN_SLOTS = 1 << 10;
    /** Longs per slot: {@code (hash << 32) | length} (0 = empty), the word or its arena offset, the count. */
    private static final int STRIDE = 3;
    /** Words up to this many bytes are kept in the slot itself, packed into a long. */
    private static final int INLINE_BYTES = 8;

    private long[] slots = new long[MIN_SLOTS * STRIDE];
    private int slotMask = MIN_SLOTS - 1;
    private byte[] arena = new byte[1 << 12];
    private int arenaUsed;
    private int size;
    private long wordBytes;
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
        return 4L + wordBytes + 11L * size;
    }

    /**
     * Adds to the count of a word.
     *
     * @param word   the lower-cased UTF-8 bytes of the word.
     * @param offset where they start.
     * @param length how many, at least 1.
     * @param hash   {@link #hash(byte[], int, int)} of the bytes.
     * @param count  how much to add.
     */
    public void add(final byte[] word, final int offset, final int length, final int hash, final long count) {
        final long meta = ((long) hash << 32) | length;
        final boolean inline = length <= INLINE_BYTES;
        final long packed = inline ? pack(word, offset, length) : 0;
        final long[] table = slots;
        final int mask = slotMask;
        int slot = hash & mask;
        while (true) {
            final int base = slot * STRIDE;
            final long current = table[base];
            if (current == 0) {
                insert(base, meta, word, offset, length, packed, count);
                return;
            }
            if (current == meta && (inline ? table[base + 1] == packed
                : sameBytes((int) table[base + 1], word, offset, length))) {
                table[base + 2] += count;
                total += count;
                return;
            }
            slot = (slot + 1) & mask;
        }
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
        other.forEachSlot((bytes, offset, length, hash, count) -> add(bytes, offset, length, hash, count));
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
        final int hash = hash(bytes, 0, bytes.length);
        final long meta = ((long) hash << 32) | bytes.length;
        final boolean inline = bytes.length <= INLINE_BYTES;
        final long packed = inline ? pack(bytes, 0, bytes.length) : 0;
        for (int slot = hash & slotMask; slots[slot * STRIDE] != 0; slot = (slot + 1) & slotMask) {
            final int base = slot * STRIDE;
            if (slots[base] == meta && (inline ? slots[base + 1] == packed
                : sameBytes((int) slots[base + 1], bytes, 0, bytes.length))) {
                return slots[base + 2];
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
        final byte[] word = new byte[INLINE_BYTES];
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base];
            if (meta == 0) {
                continue;
            }
            final int hash = (int) (meta >>> 32);
            final int length = (int) meta;
            final int p = partitionOf(hash, partitions);
            if (pieces[p] == null) {
                pieces[p] = new WordCounts();
            }
            if (length <= INLINE_BYTES) {
                unpack(slots[base + 1], word, length);
                pieces[p].add(word, 0, length, hash, slots[base + 2]);
            } else {
                pieces[p].add(arena, (int) slots[base + 1], length, hash, slots[base + 2]);
            }
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

    /** Visits every entry (the byte array passed may be reused between calls). */
    public void forEach(final EntryVisitor visitor) {
        forEachSlot((bytes, offset, length, hash, count) -> visitor.visit(bytes, offset, length, count));
    }

    private void forEachSlot(final SlotVisitor visitor) {
        final byte[] word = new byte[INLINE_BYTES];
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base];
            if (meta == 0) {
                continue;
            }
            final int length = (int) meta;
            if (length <= INLINE_BYTES) {
                unpack(slots[base + 1], word, length);
                visitor.visit(word, 0, length, (int) (meta >>> 32), slots[base + 2]);
            } else {
                visitor.visit(arena, (int) slots[base + 1], length, (int) (meta >>> 32), slots[base + 2]);
            }
        }
    }

    /** Visits one slot: the word, its hash and count. */
    @FunctionalInterface
    private interface SlotVisitor {
        void visit(byte[] bytes, int offset, int length, int hash, long count);
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
        int x = h ^ (h >>> 16);
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        return x ^ (x >>> 16);
    }

    /**
     * @param hash       a word hash.
     * @param partitions the partition count.
     * @return the partition of the word.
     */
    public static int partitionOf(final int hash, final int partitions) {
        return (int) (((hash >>> 8) & 0xffffffL) % partitions);
    }

    private void insert(final int base, final long meta, final byte[] word, final int offset, final int length,
        final long packed, final long count) {
        slots[base] = meta;
        if (length <= INLINE_BYTES) {
            slots[base + 1] = packed;
        } else {
            if (arenaUsed + length > arena.length) {
                arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
            }
            System.arraycopy(word, offset, arena, arenaUsed, length);
            slots[base + 1] = arenaUsed;
            arenaUsed += length;
        }
        slots[base + 2] = count;
        size++;
        wordBytes += length;
        total += count;
        if (size * 2 > slotMask + 1) {
            rehash();
        }
    }

    private boolean sameBytes(final int at, final byte[] word, final int offset, final int length) {
        return Arrays.equals(arena, at, at + length, word, offset, offset + length);
    }

    private static long pack(final byte[] word, final int offset, final int length) {
        long packed = 0;
        for (int i = 0; i < length; i++) {
            packed |= (word[offset + i] & 0xFFL) << (i << 3);
        }
        return packed;
    }

    private static void unpack(final long packed, final byte[] word, final int length) {
        for (int i = 0; i < length; i++) {
            word[i] = (byte) (packed >>> (i << 3));
        }
    }

    private void rehash() {
        final int slotCount = (slotMask + 1) * 2;
        final long[] bigger = new long[slotCount * STRIDE];
        final int mask = slotCount - 1;
        for (int base = 0; base < slots.length; base += STRIDE) {
            final long meta = slots[base];
            if (meta == 0) {
                continue;
            }
            int slot = (int) (meta >>> 32) & mask;
            while (bigger[slot * STRIDE] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(slots, base, bigger, slot * STRIDE, STRIDE);
        }
        slots = bigger;
        slotMask = mask;
    }
}
