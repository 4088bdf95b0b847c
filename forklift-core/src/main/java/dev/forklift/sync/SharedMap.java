package dev.forklift.sync;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.ClassNotAllowedException;
import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.codec.Codecs;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.sync.internal.Backoff;
import dev.forklift.sync.internal.LockWordLayout;
import dev.forklift.sync.internal.RobustLockWord;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncFileLayout;
import dev.forklift.sync.internal.SyncKind;

import java.io.Serializable;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A hash map in shared memory with no server process, what Python's {@code Manager().dict()} is used for: threads of
 * any process that has the map (its creator, a child it was passed to, an unrelated JVM of the same user that
 * opened it by name) get, put, remove and compute entries directly in the shared memory. Fixed at creation: the
 * number of entries it holds ({@link #capacity()}), and the largest encoded key and value.
 *
 * <p><b>How.</b> The table is split into {@value #SEGMENTS} segments, each with its own robust lock (the same lock
 * word as {@link SharedMutex}) that its writers take; a key lives in the segment of its hash (open addressing with
 * linear probing inside the segment). Each entry slot carries a sequence word (a seqlock): a writer makes it odd,
 * writes, makes it even; readers take no lock, and retry until they read the same even sequence before and after
 * the entry. {@link #compute} runs its function under the segment's lock, so it is atomic with respect to every other
 * write of that key. {@link #snapshot()} takes every segment's lock in order and copies all entries: a consistent
 * picture of the whole map at one moment.
 *
 * <p><b>A writer that dies mid-update.</b> A writer first writes the new entry into its segment's redo record, marks
 * the record pending, then copies it into the slot (under the odd sequence) and clears the record. A reader that
 * finds a slot odd for more than a moment takes the segment's lock: when its holder is dead (within about 100 ms),
 * the lock is taken over, the pending record is copied into the slot again, and the slot is even again with the new
 * entry; a write cut before its record was pending never happened. So no torn entry is ever read, and no reader or
 * writer waits for a dead one longer than the lock's bound.
 *
 * <p>Keys and values are encoded with codecs (the fast paths for strings, boxes and byte arrays; other classes
 * through the default codec's allow-list). Null keys and values are refused. Thread-safe. {@code close()} as for
 * {@link SharedLock}; serializable as a reference that carries the codecs.
 *
 * <pre>
 * Body (at SyncFileLayout.BODY_OFFSET): SEGMENTS segments of segmentStride bytes each
 * Segment
 *  +---------------------------------------------------------------+
 *  |       Lock block (LockWordLayout, 128 bytes)                  | +0
 *  +---------------------------------------------------------------+
 *  |       Redo pending (64 bits: 0 none, 1 pending)               | +128
 *  +---------------------------------------------------------------+
 *  |       Redo target slot (64 bits)                              | +136
 *  +---------------------------------------------------------------+
 *  |       Entries in the segment (64 bits)                        | +144
 *  +---------------------------------------------------------------+
 *  |       Redo image: one slot's bytes                            | +192
 *  +---------------------------------------------------------------+
 *  |       Slots: slotsPerSegment x slotStride                     |
 *  +---------------------------------------------------------------+
 * Slot
 *  +---------------------------------------------------------------+
 *  |       Sequence (64 bits; odd while written)                   | +0
 *  +---------------------------------------------------------------+
 *  |       State (0 empty, 1 full, 2 removed)                      | +8
 *  +---------------------------------------------------------------+
 *  |       Key hash                                                | +12
 *  +---------------------------------------------------------------+
 *  |       Key length                                              | +16
 *  +---------------------------------------------------------------+
 *  |       Value length                                            | +20
 *  +---------------------------------------------------------------+
 *  |       Key bytes (max key bytes), value bytes (max value bytes)| +24
 *  +---------------------------------------------------------------+
 *  Header parameters: 1 capacity, 2 max key bytes, 3 max value bytes.
 * </pre>
 *
 * @param <K> the type of the keys.
 * @param <V> the type of the values.
 *
 * @serial exclude
 */
public final class SharedMap<K, V> implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** Segments of a map, each with its own lock. */
    public static final int SEGMENTS = 16;
    /** How far the encoding of a key or value too large for the map is measured, for its error message. */
    private static final int MEASURE_BYTES = 4 << 20;
    private static final int REDO_PENDING = 128;
    private static final int REDO_SLOT = 136;
    private static final int COUNT = 144;
    private static final int REDO_IMAGE = 192;
    private static final int SEQ = 0;
    private static final int STATE = 8;
    private static final int HASH = 12;
    private static final int KEY_LENGTH = 16;
    private static final int VALUE_LENGTH = 20;
    private static final int KEY = 24;
    private static final int EMPTY = 0;
    private static final int FULL = 1;
    private static final int REMOVED = 2;
    /** How long a reader retries a slot that stays odd before it takes the segment's lock (writer dead?). */
    private static final long ODD_PATIENCE_NS = 1_000_000;

    private final transient SyncFile file;
    private final transient AtomicMemory memory;
    private final transient int capacity;
    private final transient int maxKeyBytes;
    private final transient int maxValueBytes;
    private final transient int slotStride;
    private final transient int slotsPerSegment;
    private final transient int segmentStride;
    private final transient RobustLockWord[] locks = new RobustLockWord[SEGMENTS];
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;

    SharedMap(final SyncFile file, final Codec<K> keyCodec, final Codec<V> valueCodec) {
        this.file = file;
        this.memory = file.memory();
        this.capacity = file.param(1);
        this.maxKeyBytes = file.param(2);
        this.maxValueBytes = file.param(3);
        this.slotStride = slotStride(maxKeyBytes, maxValueBytes);
        this.slotsPerSegment = slotsPerSegment(capacity);
        this.segmentStride = segmentStride(slotStride, slotsPerSegment);
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        for (int segment = 0; segment < SEGMENTS; segment++) {
            locks[segment] = new RobustLockWord(memory, segmentOffset(segment), file.liveness());
        }
    }

    /** @return the body length of a map of these limits: for the jcstress rig's in-memory maps. */
    static int bodyLength(final int capacity, final int maxKeyBytes, final int maxValueBytes) {
        return SEGMENTS * segmentStride(slotStride(maxKeyBytes, maxValueBytes), slotsPerSegment(capacity));
    }

    /**
     * Creates a map others can open by name.
     *
     * @param name          1 to 48 letters, digits, '-' or '_', unique among the live maps of this user; null for
     *                      a fresh name.
     * @param keyType       the type of the keys (its codec: {@link Codecs#forType} with the default allow-list).
     * @param valueType     the type of the values.
     * @param capacity      how many entries it holds, 1 to 2^22.
     * @param maxKeyBytes   the largest encoded key, 1 to 4096.
     * @param maxValueBytes the largest encoded value, 1 to 1 MiB.
     * @param <K>           the type of the keys.
     * @param <V>           the type of the values.
     * @return the empty map, owned by this process.
     * @throws IllegalArgumentException if a value is out of range (the message names it) or the name is taken.
     */
    public static <K, V> SharedMap<K, V> create(final String name, final Class<K> keyType, final Class<V> valueType,
        final int capacity, final int maxKeyBytes, final int maxValueBytes) {
        if (capacity < 1 || capacity > (1 << 22)) {
            throw new IllegalArgumentException("capacity must be in 1..4194304: capacity=" + capacity);
        }
        if (maxKeyBytes < 1 || maxKeyBytes > 4096 || maxValueBytes < 1 || maxValueBytes > (1 << 20)) {
            throw new IllegalArgumentException("need 1 <= maxKeyBytes <= 4096 and 1 <= maxValueBytes <= 1048576:"
                + " maxKeyBytes=" + maxKeyBytes + " maxValueBytes=" + maxValueBytes);
        }
        final long bytes = (long) SEGMENTS * segmentStride(slotStride(maxKeyBytes, maxValueBytes),
            slotsPerSegment(capacity));
        if (bytes > Integer.MAX_VALUE - SyncFileLayout.BODY_OFFSET) {
            throw new IllegalArgumentException("map too large for one mapping: capacity=" + capacity + " maxKeyBytes="
                + maxKeyBytes + " maxValueBytes=" + maxValueBytes + " bytes=" + bytes);
        }
        return new SharedMap<>(SyncFile.create(SyncKind.SHARED_MAP, name, (int) bytes,
            new int[] {capacity, maxKeyBytes, maxValueBytes}, null, m -> { }),
            Codecs.forType(keyType, AllowList.defaults()), Codecs.forType(valueType, AllowList.defaults()));
    }

    /**
     * Opens the live map of this user with that name.
     *
     * @param name      its name.
     * @param keyType   the type of its keys.
     * @param valueType the type of its values.
     * @param <K>       the type of the keys.
     * @param <V>       the type of the values.
     * @return a handle.
     * @throws dev.forklift.ForkliftException if none has that name.
     */
    public static <K, V> SharedMap<K, V> open(final String name, final Class<K> keyType, final Class<V> valueType) {
        return new SharedMap<>(SyncFile.openByName(SyncKind.SHARED_MAP, name),
            Codecs.forType(keyType, AllowList.defaults()), Codecs.forType(valueType, AllowList.defaults()));
    }

    /**
     * @param key a key, not null.
     * @return its value, or null when absent. Takes no lock (but a moment's wait, or a segment's lock, when its
     *     writer died mid-write).
     * @throws CodecException naming the map when its value does not decode with this handle's value type (a map
     *                        opened with another type than it was made with).
     */
    public V get(final Object key) {
        @SuppressWarnings("unchecked") final byte[] keyBytes = encodeKey((K) Objects.requireNonNull(key, "key"));
        final int hash = hash(keyBytes);
        final byte[] value = read(segmentOf(hash), hash, keyBytes);
        return value == null ? null : decode(valueCodec, value, "value");
    }

    /**
     * @param key a key, not null.
     * @return true if the key has a value now. Takes no lock, as {@link #get}.
     */
    public boolean containsKey(final Object key) {
        return get(key) != null;
    }

    /**
     * Maps the key to the value, replacing any value it had, under the key's segment lock.
     *
     * @param key   a key, not null.
     * @param value its new value, not null.
     * @return the previous value, or null if the key had none.
     * @throws NullPointerException     if the key or value is null.
     * @throws IllegalArgumentException if the key or value encodes longer than the map's limits.
     * @throws IllegalStateException    if the map (the key's segment) is full.
     */
    public V put(final K key, final V value) {
        return compute(key, (k, old) -> Objects.requireNonNull(value, "value"), true);
    }

    /**
     * Removes the key and its value, under the key's segment lock; nothing happens if it has none.
     *
     * @param key a key, not null.
     * @return the previous value, or null if the key had none.
     * @throws NullPointerException     if the key is null.
     * @throws IllegalArgumentException if the key encodes longer than the map's limit.
     */
    public V remove(final Object key) {
        @SuppressWarnings("unchecked") final K typed = (K) Objects.requireNonNull(key, "key");
        return compute(typed, (k, old) -> null, true);
    }

    /**
     * Computes a key's new value from its current one (null when absent) under the key's segment lock, so that no
     * other write of the key comes in between; a null result removes the key.
     *
     * @param key      a key, not null.
     * @param function the function, called once, in this process.
     * @return the new value, or null.
     */
    public V compute(final K key, final BiFunction<? super K, ? super V, ? extends V> function) {
        return compute(key, function, false);
    }

    private V compute(final K key, final BiFunction<? super K, ? super V, ? extends V> function,
        final boolean returnOld) {
        file.checkOpen("write the map");
        final byte[] keyBytes = encodeKey(Objects.requireNonNull(key, "key"));
        final int hash = hash(keyBytes);
        final int segment = segmentOf(hash);
        lockSegment(segment);
        try {
            final int found = find(segment, hash, keyBytes);
            final V old = found >= 0 ? decode(valueCodec, valueBytes(slotOffset(segment, found)), "value") : null;
            final V updated = function.apply(key, old);
            if (updated == null) {
                if (found >= 0) {
                    write(segment, found, REMOVED, hash, keyBytes, new byte[0]);
                    memory.putLongVolatile(segmentOffset(segment) + COUNT, memory.getLong(segmentOffset(segment) + COUNT) - 1);
                }
            } else {
                final byte[] valueBytes = encode(valueCodec, updated, maxValueBytes, "value");
                final int slot = found >= 0 ? found : freeSlot(segment, hash);
                write(segment, slot, FULL, hash, keyBytes, valueBytes);
                if (found < 0) {
                    memory.putLongVolatile(segmentOffset(segment) + COUNT, memory.getLong(segmentOffset(segment) + COUNT) + 1);
                }
            }
            return returnOld ? old : updated;
        } finally {
            locks[segment].release();
        }
    }

    /**
     * A consistent copy of every entry: all segments' locks are held (in order) while it is copied.
     *
     * @return the entries, in no particular order.
     */
    public Map<K, V> snapshot() {
        final Map<K, V> copy = new LinkedHashMap<>();
        int locked = 0;
        try {
            for (; locked < SEGMENTS; locked++) {
                lockSegment(locked);
            }
            for (int segment = 0; segment < SEGMENTS; segment++) {
                for (int slot = 0; slot < slotsPerSegment; slot++) {
                    final int at = slotOffset(segment, slot);
                    if (memory.getInt(at + STATE) == FULL) {
                        copy.put(decode(keyCodec, memory.getBytes(at + KEY, memory.getInt(at + KEY_LENGTH)), "key"),
                            decode(valueCodec, valueBytes(at), "value"));
                    }
                }
            }
        } finally {
            for (int segment = locked - 1; segment >= 0; segment--) {
                locks[segment].release();
            }
        }
        return copy;
    }

    /** @return the number of entries now (a snapshot, without locks). */
    public int size() {
        long size = 0;
        for (int segment = 0; segment < SEGMENTS; segment++) {
            size += memory.getLongVolatile(segmentOffset(segment) + COUNT);
        }
        return (int) size;
    }

    /** @return how many entries the map was made for. */
    public int capacity() {
        return capacity;
    }

    /** @return how many times a segment's lock was taken over from a writer that died holding it. */
    public long writerDeaths() {
        long deaths = 0;
        for (final RobustLockWord lock : locks) {
            deaths += lock.ownerDeaths();
        }
        return deaths;
    }

    /** @return the name others open this map by. */
    public String name() {
        return file.name();
    }

    /** Deletes the map's file in its creator; drops this handle elsewhere. Idempotent. */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "shared map '" + name() + "' (" + size() + " of " + capacity + " entries)";
    }

    @java.io.Serial
    private Object writeReplace() {
        return new SyncRef(file, null, null, keyCodec, valueCodec);
    }

    /** Lock-free read of a key's value bytes with the per-slot seqlock; null when absent. */
    private byte[] read(final int segment, final int hash, final byte[] keyBytes) {
        final int start = hash >>> 4 & (slotsPerSegment - 1);
        for (int i = 0; i < slotsPerSegment; i++) {
            final int at = slotOffset(segment, (start + i) & (slotsPerSegment - 1));
            long oddSinceNs = 0;
            while (true) {
                final long before = memory.getLongAcquire(at + SEQ);
                if ((before & 1) == 0) {
                    final int state = memory.getInt(at + STATE);
                    final boolean match = state == FULL && memory.getInt(at + HASH) == hash
                        && memory.getInt(at + KEY_LENGTH) == keyBytes.length;
                    final byte[] key = match ? memory.getBytes(at + KEY, keyBytes.length) : null;
                    final int valueLength = memory.getInt(at + VALUE_LENGTH);
                    final byte[] value = match && valueLength >= 0 && valueLength <= maxValueBytes
                        ? memory.getBytes(at + KEY + maxKeyBytes, valueLength) : null;
                    VarHandle.acquireFence();
                    if (memory.getLongVolatile(at + SEQ) == before) {
                        if (state == EMPTY) {
                            return null;
                        }
                        if (match && Arrays.equals(key, keyBytes)) {
                            return value;
                        }
                        break; // another key, or removed: probe on
                    }
                }
                oddSinceNs = waitOnOdd(segment, oddSinceNs);
            }
        }
        return null;
    }

    /** A slot is being written: spin a moment; past the patience, take the segment's lock (repairs a dead writer). */
    private long waitOnOdd(final int segment, final long oddSinceNs) {
        final long nowNs = System.nanoTime();
        if (oddSinceNs == 0) {
            return nowNs;
        }
        if (nowNs - oddSinceNs > ODD_PATIENCE_NS) {
            lockSegment(segment);
            locks[segment].release();
            return nowNs;
        }
        Thread.onSpinWait();
        return oddSinceNs;
    }

    /** Under the segment's lock: the slot holding the key, or -1. */
    private int find(final int segment, final int hash, final byte[] keyBytes) {
        final int start = hash >>> 4 & (slotsPerSegment - 1);
        for (int i = 0; i < slotsPerSegment; i++) {
            final int slot = (start + i) & (slotsPerSegment - 1);
            final int at = slotOffset(segment, slot);
            final int state = memory.getInt(at + STATE);
            if (state == EMPTY) {
                return -1;
            }
            if (state == FULL && memory.getInt(at + HASH) == hash && memory.getInt(at + KEY_LENGTH) == keyBytes.length
                && Arrays.equals(memory.getBytes(at + KEY, keyBytes.length), keyBytes)) {
                return slot;
            }
        }
        return -1;
    }

    /** Under the segment's lock: the first empty or removed slot of the key's probe, for a new key. */
    private int freeSlot(final int segment, final int hash) {
        final long entries = memory.getLong(segmentOffset(segment) + COUNT);
        final int size = size();
        if (size >= capacity) {
            throw new IllegalStateException(this + " is full: it holds capacity=" + capacity + " entries");
        }
        if (entries >= slotsPerSegment - 1) {
            throw new IllegalStateException(this + " has no room for this key: the key's segment " + segment + " of "
                + SEGMENTS + " holds " + entries + " entries, its most (the keys are spread over the segments by hash;"
                + " the map holds " + size + " of capacity=" + capacity + "; a larger capacity gives each segment more"
                + " room)");
        }
        final int start = hash >>> 4 & (slotsPerSegment - 1);
        for (int i = 0; i < slotsPerSegment; i++) {
            final int slot = (start + i) & (slotsPerSegment - 1);
            if (memory.getInt(slotOffset(segment, slot) + STATE) != FULL) {
                return slot;
            }
        }
        throw new IllegalStateException(this + " has no free slot in segment " + segment);
    }

    /** Under the segment's lock: writes the entry into the redo record, marks it pending, applies it, clears it. */
    private void write(final int segment, final int slot, final int state, final int hash, final byte[] keyBytes,
        final byte[] valueBytes) {
        final int image = segmentOffset(segment) + REDO_IMAGE;
        memory.putInt(image + STATE, state);
        memory.putInt(image + HASH, hash);
        memory.putInt(image + KEY_LENGTH, keyBytes.length);
        memory.putInt(image + VALUE_LENGTH, valueBytes.length);
        memory.putBytes(image + KEY, keyBytes);
        memory.putBytes(image + KEY + maxKeyBytes, valueBytes);
        memory.putLong(segmentOffset(segment) + REDO_SLOT, slot);
        memory.putLongRelease(segmentOffset(segment) + REDO_PENDING, 1);
        redo(segment, true);
    }

    /** Copies the pending redo record into its slot under an odd sequence, then clears the record. Idempotent. */
    private void redo(final int segment, final boolean faultPoint) {
        final int base = segmentOffset(segment);
        final int at = slotOffset(segment, (int) memory.getLong(base + REDO_SLOT));
        final long odd = memory.getLong(at + SEQ) | 1;
        memory.putLongVolatile(at + SEQ, odd);
        final int image = base + REDO_IMAGE;
        final int keyLength = memory.getInt(image + KEY_LENGTH);
        final int valueLength = memory.getInt(image + VALUE_LENGTH);
        memory.putInt(at + STATE, memory.getInt(image + STATE));
        memory.putInt(at + HASH, memory.getInt(image + HASH));
        memory.putInt(at + KEY_LENGTH, keyLength);
        memory.putBytes(at + KEY, memory.getBytes(image + KEY, keyLength));
        if (faultPoint && valueLength > 1) {
            memory.putBytes(at + KEY + maxKeyBytes, memory.getBytes(image + KEY + maxKeyBytes, valueLength / 2));
            FaultPoints.whileWritingMapEntry();
        }
        memory.putInt(at + VALUE_LENGTH, valueLength);
        memory.putBytes(at + KEY + maxKeyBytes, memory.getBytes(image + KEY + maxKeyBytes, valueLength));
        memory.putLongRelease(at + SEQ, odd + 1);
        memory.putLongRelease(base + REDO_PENDING, 0);
    }

    private void lockSegment(final int segment) {
        if (locks[segment].acquireGuard() == RobustLockWord.ACQUIRED_OWNER_DIED
            && memory.getLongAcquire(segmentOffset(segment) + REDO_PENDING) != 0) {
            redo(segment, false);
        }
    }

    private byte[] valueBytes(final int at) {
        return memory.getBytes(at + KEY + maxKeyBytes, memory.getInt(at + VALUE_LENGTH));
    }

    private byte[] encodeKey(final K key) {
        return encode(keyCodec, key, maxKeyBytes, "key");
    }

    private static <T> byte[] encode(final Codec<T> codec, final T value, final int maxBytes, final String what) {
        final ByteBuffer buffer = ByteBuffer.allocate(maxBytes);
        try {
            codec.encode(value, buffer);
        } catch (final BufferOverflowException ex) {
            throw new IllegalArgumentException("the " + what + " encodes to " + encodedSize(codec, value, maxBytes)
                + " bytes, more than the map's " + (what.equals("key") ? "maxKeyBytes=" : "maxValueBytes=")
                + maxBytes, ex);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** @return the encoded size of a value too large for the map, or "more than N" past what is worth measuring. */
    private static <T> String encodedSize(final Codec<T> codec, final T value, final int maxBytes) {
        final int measureBytes = Math.max(maxBytes, MEASURE_BYTES);
        try {
            final ByteBuffer larger = ByteBuffer.allocate(measureBytes);
            codec.encode(value, larger);
            return Integer.toString(larger.position());
        } catch (final BufferOverflowException ex) {
            return "more than " + measureBytes;
        }
    }

    /**
     * @return the decoded key or value.
     * @throws CodecException naming the map and the codec when the bytes do not decode: most likely the map was
     *                        opened with another key or value type than it was created with.
     */
    private <T> T decode(final Codec<T> codec, final byte[] bytes, final String what) {
        try {
            return codec.decode(ByteBuffer.wrap(bytes));
        } catch (final ClassNotAllowedException ex) {
            throw ex; // names the class already, and callers may catch it as such
        } catch (final RuntimeException ex) {
            throw new CodecException("cannot decode a " + what + " of " + this + " (" + bytes.length + " bytes) with"
                + " the codec '" + codec.id() + "' of the " + what + " type this handle was opened with; was the map"
                + " created with another " + what + " type? " + ex.getMessage(), ex);
        }
    }

    private static int hash(final byte[] bytes) {
        int h = Arrays.hashCode(bytes);
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ h >>> 13;
    }

    private static int segmentOf(final int hash) {
        return hash & (SEGMENTS - 1);
    }

    private int segmentOffset(final int segment) {
        return SyncFileLayout.BODY_OFFSET + segment * segmentStride;
    }

    private int slotOffset(final int segment, final int slot) {
        return segmentOffset(segment) + REDO_IMAGE + slotStride + slot * slotStride;
    }

    private static int slotStride(final int maxKeyBytes, final int maxValueBytes) {
        return (KEY + maxKeyBytes + maxValueBytes + 7) & -8;
    }

    /** Twice the capacity over the segments, a power of two, at least 4: room for skew and for probe ends. */
    private static int slotsPerSegment(final int capacity) {
        final int wanted = Math.max(4, (2 * capacity + SEGMENTS - 1) / SEGMENTS);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    private static int segmentStride(final int slotStride, final int slotsPerSegment) {
        final long raw = REDO_IMAGE + (long) slotStride * (slotsPerSegment + 1);
        return (int) ((raw + LockWordLayout.ALIGNMENT - 1) & -LockWordLayout.ALIGNMENT);
    }
}
