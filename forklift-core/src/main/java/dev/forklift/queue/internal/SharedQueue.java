package dev.forklift.queue.internal;

import dev.forklift.ForkliftException;
import dev.forklift.codec.Codec;
import dev.forklift.queue.MessageReader;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.Queue;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.*;

/**
 * The shared-memory {@link Queue}: the protocol of {@link QueueDescriptor} over a {@link MappedFile}.
 *
 * <p>A facade over the parts that do the work: the {@link SlotRing} (claims, publishing, releasing, waiting,
 * repair, end of stream), the {@link SlotCodec} (items in and out of claimed slots), the {@link BatchRuns}
 * ({@code putAll}, {@code drainTo}, {@code takeInto}) and the {@link InPlaceOperations}. It keeps the factories, the
 * single operations and the serialized form. Thread-safe, also across processes, as its parts are.
 *
 * <p>Serializable as a small {@link QueueRef} (path, codec, wait strategy), which re-attaches in the process
 * that deserializes it; that is how a queue passed as an argument arrives in a child process.
 *
 * @param <T> the type of the items.
 */
public final class SharedQueue<T> implements Queue<T>, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient MappedFile file;
    private final transient SlotRing ring;
    private final transient SlotCodec<T> items;
    private final transient BatchRuns<T> batches;
    private final transient InPlaceOperations inPlace;
    private final String name;
    /** The item type's class name (resolved on demand, so that a queue attaches without loading it). */
    private final String elementTypeName;
    private transient volatile Class<T> elementType;
    private final Codec<T> codec;
    private final WaitStrategy waitStrategy;
    private final QueueTimeouts timeouts;

    private SharedQueue(final MappedFile file, final AtomicMemory buffer, final ByteBuffer memory, final String name,
        final String elementTypeName, final Codec<T> codec, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts) {
        this.file = file;
        this.name = name;
        this.elementTypeName = elementTypeName;
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.timeouts = timeouts;
        this.ring = new SlotRing(buffer, name, waitStrategy, timeouts);
        this.items = new SlotCodec<>(ring, memory, name, codec);
        this.batches = new BatchRuns<>(ring, items);
        this.inPlace = new InPlaceOperations(ring, new SlotViews(memory), name);
    }

    /**
     * Creates the file, initialises the header and slots, and publishes the layout version last.
     *
     * @return the queue, owned by this process.
     */
    public static <T> SharedQueue<T> create(final SharedMemoryDirectory directory, final String name,
        final int slotCount, final int maxMessageBytes, final Codec<T> codec, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts) {
        return create(directory, name, slotCount, maxMessageBytes, codec, waitStrategy, timeouts, false, Object.class);
    }

    /**
     * As {@link #create(SharedMemoryDirectory, String, int, int, Codec, WaitStrategy, QueueTimeouts)}, optionally
     * taking the file's memory at once ({@link MappedFile#create(SharedMemoryDirectory, String, String, long,
     * boolean)}).
     *
     * @param elementType the type of the items, told by {@link #elementType()} in every process.
     * @return the queue, owned by this process.
     */
    public static <T> SharedQueue<T> create(final SharedMemoryDirectory directory, final String name,
        final int slotCount, final int maxMessageBytes, final Codec<T> codec, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts, final boolean reserveMemory, final Class<? super T> elementType) {
        final int slotStride = slotStride(maxMessageBytes);
        final MappedFile file = MappedFile.create(directory, "queue", name, fileLength(slotCount, slotStride),
            reserveMemory);
        SlotRing.initialise(file.buffer(), slotCount, slotStride, maxMessageBytes);
        QueueFlightEvents.registerPeriodic(); // the statistics event covers the queues created here
        return new SharedQueue<>(file, file.buffer(), file.newByteBufferView(), name, elementType.getName(), codec,
            waitStrategy, timeouts);
    }

    /**
     * A queue of the same layout in this process's own memory, not shared with other processes and not
     * serializable: for concurrency tests of the protocol and for queues between threads.
     *
     * @return the queue.
     */
    public static <T> SharedQueue<T> inMemory(final String name, final int slotCount, final int maxMessageBytes,
        final Codec<T> codec, final WaitStrategy waitStrategy) {
        if (slotCount != slotCountFor(slotCount)) {
            throw new IllegalArgumentException("slot count must be a power of two, at least 2: slotCount=" + slotCount);
        }
        final int slotStride = slotStride(maxMessageBytes);
        final ByteBuffer memory = ByteBuffer.allocateDirect((int) fileLength(slotCount, slotStride));
        final AtomicMemory buffer = new AtomicMemory(memory);
        SlotRing.initialise(buffer, slotCount, slotStride, maxMessageBytes);
        return new SharedQueue<>(null, buffer, memory, name, Object.class.getName(), codec, waitStrategy,
            QueueTimeouts.defaults());
    }

    /**
     * Attaches to a queue made by another process (or this one).
     *
     * @param ref the serialized form of the queue.
     * @return the queue, not owned by this process.
     * @throws ForkliftException if the file is missing or is not a queue of this layout version.
     */
    static <T> SharedQueue<T> attach(final QueueRef<T> ref) {
        final MappedFile file = MappedFile.open(ref.path());
        final AtomicMemory buffer = file.buffer();
        if (file.lengthBytes() < HEADER_LENGTH || buffer.getLong(MAGIC_OFFSET) != MAGIC) {
            throw new ForkliftException("not a Forklift queue file: " + ref.path());
        }
        final int version = buffer.getIntAcquire(VERSION_OFFSET);
        if (version != LAYOUT_VERSION) {
            throw new ForkliftException("queue file " + ref.path() + " has layout version " + version
                + ", expected " + LAYOUT_VERSION + " (0 means not yet initialised)");
        }
        final long expectedLength = fileLength(buffer.getInt(SLOT_COUNT_OFFSET), buffer.getInt(SLOT_STRIDE_OFFSET));
        if (file.lengthBytes() != expectedLength) {
            throw new ForkliftException("queue file " + ref.path() + " has length " + file.lengthBytes()
                + ", its header says " + expectedLength);
        }
        NamespaceGuard.noteAttacher(buffer);
        return new SharedQueue<>(file, buffer, file.newByteBufferView(), ref.name(), ref.elementTypeName(), ref.codec(),
            ref.waitStrategy(), ref.timeouts());
    }

    /**
     * Attaches to a {@code byte[]} queue of the default wait strategy, made by another process, from its file and
     * name: a pool worker does so with the queues named in its arguments (no object stream on its start).
     *
     * @param path           the queue's file.
     * @param name           the queue's name.
     * @param repairAfterNs  the creator's repair time ({@link QueueTimeouts#repairAfterNs()}).
     * @param stallTimeoutNs the creator's stall timeout ({@link QueueTimeouts#stallTimeoutNs()}).
     * @return the queue, not owned by this process.
     * @throws ForkliftException if the file is missing or is not a queue of this layout version.
     */
    public static SharedQueue<byte[]> attachBytes(final java.nio.file.Path path, final String name,
        final long repairAfterNs, final long stallTimeoutNs) {
        return attach(new QueueRef<>(path, name, byte[].class.getName(), dev.forklift.codec.Codecs.bytes(),
            WaitStrategy.defaultStrategy(), new QueueTimeouts(repairAfterNs, stallTimeoutNs)));
    }

    /** @return this queue's time limits, as its creator chose them. */
    public QueueTimeouts timeouts() {
        return timeouts;
    }

    /** @return true when this queue waits with {@link WaitStrategy#defaultStrategy()}. */
    public boolean hasDefaultWaitStrategy() {
        return waitStrategy == WaitStrategy.defaultStrategy();
    }

    /**
     * Opens a live queue by the name it was created with (from any JVM of the same user), with the default wait
     * strategy and timeouts.
     *
     * @return the queue, not owned by this process.
     * @throws ForkliftException if no live queue has the name, or its file is not a queue of this layout.
     */
    public static <T> SharedQueue<T> openByName(final SharedMemoryDirectory directory, final String name,
        final Class<T> type, final Codec<T> codec) {
        final java.nio.file.Path path = directory.liveFileNamed("queue", name).orElseThrow(() -> new ForkliftException(
            "no live queue is named '" + name + "' in " + directory + " (was it closed, made by another user, or"
                + " named with characters other than letters, digits, '-' and '_'?)"));
        return attach(new QueueRef<>(path, name, type.getName(), codec, WaitStrategy.defaultStrategy(),
            QueueTimeouts.defaults()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return ring.slotCount();
    }

    @Override
    public int maxMessageBytes() {
        return ring.maxMessageBytes();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<T> elementType() {
        Class<T> type = elementType;
        if (type == null) {
            try {
                type = (Class<T>) Class.forName(elementTypeName, false, typeLoader());
            } catch (final ClassNotFoundException ex) {
                throw new IllegalStateException("queue '" + name + "' carries " + elementTypeName
                    + ", which is not on this process's class path", ex);
            }
            elementType = type;
        }
        return type;
    }

    private static ClassLoader typeLoader() {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SharedQueue.class.getClassLoader();
    }

    /** @return the codec of this queue. */
    public Codec<T> codec() {
        return codec;
    }

    /** @return the path of the shared-memory file. */
    public java.nio.file.Path path() {
        return file == null ? null : file.path();
    }

    /** @return the number of items whose producer failed to encode them after claiming a slot. */
    public long abortedCount() {
        return ring.abortedCount();
    }

    /** @return the number of slots published as torn because their producer died before publishing them. */
    public long tornCount() {
        return ring.tornCount();
    }

    /** @return the number of slots released because their consumer died before releasing them. */
    public long abandonedCount() {
        return ring.abandonedCount();
    }

    /**
     * Where consumers are: every slot before this position was claimed by a consumer, and taken or skipped (torn,
     * aborted). Only grows. With {@link #tailPosition()}, a process that is the queue's only consumer can tell when
     * it has read past everything that was put (or was being put) at some moment. Never blocks.
     *
     * @return slots claimed by consumers since the queue was made.
     */
    public long headPosition() {
        return ring.headPosition();
    }

    /**
     * Where producers are: every message put, or being put, so far lies before this position. Only grows (the
     * closed bit is not part of it). Never blocks.
     *
     * @return slots claimed by producers since the queue was made.
     */
    public long tailPosition() {
        return ring.tailPosition();
    }

    /**
     * Repairs at once every slot that the given process holds in this queue: a slot it claimed to write and has
     * not published is published as torn (skipped by consumers, counted in {@link #tornCount()}), a slot it claimed
     * to read and has not released is freed for the next lap (counted in {@link #abandonedCount()}), together with
     * the slots right after them that it claimed in the same run but died before stamping. Without it, the waiting
     * consumers and producers repair these slots themselves after the queue's repair time.
     *
     * <p>For the pool, which reaps its workers: call it only for a process that is dead (reaped, or known killed),
     * from any thread of any process that has the queue. A live process whose slots are repaired this way finds its
     * publish or release refused with {@link dev.forklift.queue.QueueSlotRepairedException}. Blocks at most about
     * 50 ms, only when the dead process left slots without its pid.
     *
     * @param pid the dead process.
     * @return how many slots were repaired.
     * @throws IllegalArgumentException if the pid is not a valid pid, or is this process's own.
     */
    public int repairSlotsHeldBy(final long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process id: pid=" + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("pid=" + pid + " is this process, which is alive");
        }
        return ring.repairSlotsHeldBy((int) pid);
    }

    @Override
    public void put(final T item) throws InterruptedException {
        items.checkItem(item);
        throwIfFailed(items.write(ring.claimForWrite(Long.MAX_VALUE), item));
    }

    @Override
    public boolean offer(final T item) {
        items.checkItem(item);
        try {
            return offerUntil(item, 0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(final T item, final long timeout, final TimeUnit unit) throws InterruptedException {
        items.checkItem(item);
        return offerUntil(item, SlotRing.deadlineNs(timeout, unit));
    }

    @Override
    public T take() throws InterruptedException {
        return takeUntil(Long.MAX_VALUE);
    }

    @Override
    public T poll() {
        try {
            return takeUntil(0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        return takeUntil(SlotRing.deadlineNs(timeout, unit));
    }

    @Override
    public void putAll(final List<? extends T> list) throws InterruptedException {
        batches.putAll(list);
    }

    @Override
    public int drainTo(final Collection<? super T> target, final int maxItems) {
        try {
            return batches.takeRun(target, maxItems, 0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public int takeInto(final Collection<? super T> target, final int maxItems) throws InterruptedException {
        return batches.takeRun(target, maxItems, Long.MAX_VALUE);
    }

    @Override
    public void putInPlace(final int maxLengthBytes, final MessageWriter writer) throws InterruptedException {
        inPlace.putInPlace(maxLengthBytes, writer);
    }

    @Override
    public boolean offerInPlace(final int maxLengthBytes, final MessageWriter writer, final long timeout,
        final TimeUnit unit) throws InterruptedException {
        return inPlace.offerInPlace(maxLengthBytes, writer, timeout, unit);
    }

    @Override
    public void putRunInPlace(final int count, final int maxLengthBytes, final MessageWriter writer)
        throws InterruptedException {
        inPlace.putRunInPlace(count, maxLengthBytes, writer);
    }

    @Override
    public void takeInPlace(final MessageReader reader) throws InterruptedException {
        inPlace.takeInPlace(reader);
    }

    @Override
    public boolean pollInPlace(final MessageReader reader, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        return inPlace.pollInPlace(reader, timeout, unit);
    }

    @Override
    public int takeRunInPlace(final MessageReader reader, final int maxItems) throws InterruptedException {
        return inPlace.takeRunInPlace(reader, maxItems);
    }

    @Override
    public int size() {
        return ring.size();
    }

    @Override
    public boolean hasItemReady() {
        return ring.hasMessageReady();
    }

    @Override
    public boolean isClosed() {
        return ring.isClosed();
    }

    @Override
    public boolean isEndOfStream() {
        return ring.isEndOfStream();
    }

    @Override
    public void close() {
        ring.markClosed();
        if (file != null) {
            file.close();
        }
    }

    @Override
    public Iterator<T> iterator() {
        return new DrainingIterator<>(name, this::take);
    }

    @Override
    public String toString() {
        return "Queue[" + name + ", capacity=" + ring.slotCount() + ", maxMessageBytes=" + ring.maxMessageBytes()
            + ", codec=" + codec.id() + ']';
    }

    private boolean offerUntil(final T item, final long deadlineNs) throws InterruptedException {
        final long position = ring.claimForWrite(deadlineNs);
        if (position == SlotRing.NO_POSITION) {
            return false;
        }
        throwIfFailed(items.write(position, item));
        return true;
    }

    private T takeUntil(final long deadlineNs) throws InterruptedException {
        final long position = ring.claimMessageForRead(deadlineNs);
        if (position == SlotRing.NO_POSITION) {
            return null;
        }
        final int slot = ring.slotOffset(position);
        return items.read(slot, position, ring.messageLength(slot));
    }

    private static void throwIfFailed(final RuntimeException failure) {
        if (failure != null) {
            throw failure;
        }
    }

    private Object writeReplace() throws java.io.NotSerializableException {
        if (file == null) {
            throw new java.io.NotSerializableException("queue '" + name + "' lives in this process's memory only");
        }
        return new QueueRef<>(file.path(), name, elementTypeName, codec, waitStrategy, timeouts);
    }

    private void readObject(final java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a queue travels as a QueueRef");
    }
}
