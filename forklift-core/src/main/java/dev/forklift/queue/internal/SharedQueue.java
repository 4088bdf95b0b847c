package dev.forklift.queue.internal;

import dev.forklift.ForkliftException;
import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.MessageReader;
import dev.forklift.queue.MessageTooLargeException;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueClosedException;
import dev.forklift.queue.QueueStalledException;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.queue.WaitStrategy.Idler;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.io.Serializable;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.*;

/**
 * The shared-memory {@link Queue}: the protocol of {@link QueueDescriptor} over a {@link MappedFile}.
 *
 * <p>Serializable as a small {@link QueueRef} (path, codec, wait strategy), which re-attaches in the process
 * that deserializes it; that is how a queue passed as an argument arrives in a child process.
 *
 * @param <T> the type of the items.
 */
public final class SharedQueue<T> implements Queue<T>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final long NO_POSITION = -1;
    private static final long END_OF_STREAM = -2;
    private static final int PID = (int) ProcessHandle.current().pid();
    /** Most slots one batch operation claims at once. */
    private static final int MAX_RUN = 256;
    /** Waiting checks during which the end-of-stream check is thinned out. */
    private static final int SPINNING_WAITS = 256;

    private final transient MappedFile file;
    private final transient AtomicMemory buffer;
    private final transient ThreadLocal<ByteBuffer> views;
    private final transient SlotViews slotViews;
    private final String name;
    private final Codec<T> codec;
    private final WaitStrategy waitStrategy;
    private final int slotCount;
    private final int slotMask;
    private final int slotStride;
    private final int maxMessageBytes;
    private final QueueTimeouts timeouts;
    private final transient HolderRepair repair;
    private final transient StallWatch readStall = new StallWatch();
    private final transient StallWatch writeStall = new StallWatch();

    private SharedQueue(final MappedFile file, final AtomicMemory buffer, final ByteBuffer memory, final String name,
        final Codec<T> codec, final WaitStrategy waitStrategy, final QueueTimeouts timeouts) {
        this.file = file;
        this.buffer = buffer;
        this.views = ThreadLocal.withInitial(memory::duplicate);
        this.slotViews = new SlotViews(memory);
        this.name = name;
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.timeouts = timeouts;
        this.slotCount = buffer.getInt(SLOT_COUNT_OFFSET);
        this.slotMask = slotCount - 1;
        this.slotStride = buffer.getInt(SLOT_STRIDE_OFFSET);
        this.maxMessageBytes = buffer.getInt(MAX_MESSAGE_BYTES_OFFSET);
        this.repair = new HolderRepair(buffer, slotCount, timeouts.repairAfterNs());
    }

    /**
     * Creates the file, initialises the header and slots, and publishes the layout version last.
     *
     * @return the queue, owned by this process.
     */
    public static <T> SharedQueue<T> create(final SharedMemoryDirectory directory, final String name,
        final int slotCount, final int maxMessageBytes, final Codec<T> codec, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts) {
        return create(directory, name, slotCount, maxMessageBytes, codec, waitStrategy, timeouts, false);
    }

    /**
     * As {@link #create(SharedMemoryDirectory, String, int, int, Codec, WaitStrategy, QueueTimeouts)}, optionally
     * taking the file's memory at once ({@link MappedFile#create(SharedMemoryDirectory, String, String, long,
     * boolean)}).
     *
     * @return the queue, owned by this process.
     */
    public static <T> SharedQueue<T> create(final SharedMemoryDirectory directory, final String name,
        final int slotCount, final int maxMessageBytes, final Codec<T> codec, final WaitStrategy waitStrategy,
        final QueueTimeouts timeouts, final boolean reserveMemory) {
        final int slotStride = slotStride(maxMessageBytes);
        final MappedFile file = MappedFile.create(directory, "queue", name, fileLength(slotCount, slotStride),
            reserveMemory);
        initialise(file.buffer(), slotCount, slotStride, maxMessageBytes);
        return new SharedQueue<>(file, file.buffer(), file.newByteBufferView(), name, codec, waitStrategy, timeouts);
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
        initialise(buffer, slotCount, slotStride, maxMessageBytes);
        return new SharedQueue<>(null, buffer, memory, name, codec, waitStrategy, QueueTimeouts.defaults());
    }

    private static void initialise(final AtomicMemory buffer, final int slotCount, final int slotStride,
        final int maxMessageBytes) {
        buffer.putLong(MAGIC_OFFSET, MAGIC);
        buffer.putInt(SLOT_COUNT_OFFSET, slotCount);
        buffer.putInt(SLOT_STRIDE_OFFSET, slotStride);
        buffer.putInt(MAX_MESSAGE_BYTES_OFFSET, maxMessageBytes);
        buffer.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(CREATED_MS_OFFSET, System.currentTimeMillis());
        for (int slot = 0; slot < slotCount; slot++) {
            buffer.putLong(HEADER_LENGTH + slot * slotStride + SLOT_SEQUENCE_OFFSET, slot);
        }
        buffer.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION);
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
        return new SharedQueue<>(file, buffer, file.newByteBufferView(), ref.name(), ref.codec(), ref.waitStrategy(),
            ref.timeouts());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return slotCount;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
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
        return buffer.getLongVolatile(ABORTED_COUNT_OFFSET);
    }

    /** @return the number of slots published as torn because their producer died before publishing them. */
    public long tornCount() {
        return buffer.getLongVolatile(TORN_COUNT_OFFSET);
    }

    /** @return the number of slots released because their consumer died before releasing them. */
    public long abandonedCount() {
        return buffer.getLongVolatile(ABANDONED_COUNT_OFFSET);
    }

    @Override
    public void put(final T item) throws InterruptedException {
        checkItem(item);
        throwIfFailed(write(claimForWrite(Long.MAX_VALUE), item));
    }

    @Override
    public boolean offer(final T item) {
        checkItem(item);
        try {
            return offerUntil(item, 0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(final T item, final long timeout, final TimeUnit unit) throws InterruptedException {
        checkItem(item);
        return offerUntil(item, deadlineNs(timeout, unit));
    }

    @Override
    public T take() throws InterruptedException {
        return takeUntil(Long.MAX_VALUE);
    }

    @Override
    public void putAll(final List<? extends T> items) throws InterruptedException {
        for (final T item : items) {
            checkItem(item);
        }
        final Run run = new Run();
        final int count = items.size();
        int next = 0;
        while (next < count) {
            claimRunForWrite(run, Math.min(count - next, MAX_RUN));
            for (int i = 0; i < run.length; i++) {
                final RuntimeException failure = write(run.first + i, items.get(next + i));
                if (failure != null) {
                    for (int rest = i + 1; rest < run.length; rest++) {
                        publish(slotOffset(run.first + rest), run.first + rest, ABORTED_LENGTH);
                    }
                    throw failure;
                }
            }
            next += run.length;
        }
    }

    @Override
    public int drainTo(final Collection<? super T> target, final int maxItems) {
        try {
            return takeRun(target, maxItems, 0);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public int takeInto(final Collection<? super T> target, final int maxItems) throws InterruptedException {
        return takeRun(target, maxItems, Long.MAX_VALUE);
    }

    @Override
    public void putInPlace(final int maxLengthBytes, final MessageWriter writer) throws InterruptedException {
        checkInPlaceWrite(maxLengthBytes, writer);
        fillInPlace(claimForWrite(Long.MAX_VALUE), maxLengthBytes, writer);
    }

    @Override
    public boolean offerInPlace(final int maxLengthBytes, final MessageWriter writer, final long timeout,
        final TimeUnit unit) throws InterruptedException {
        checkInPlaceWrite(maxLengthBytes, writer);
        final long position = claimForWrite(deadlineNs(timeout, unit));
        if (position == NO_POSITION) {
            return false;
        }
        fillInPlace(position, maxLengthBytes, writer);
        return true;
    }

    @Override
    public void putRunInPlace(final int count, final int maxLengthBytes, final MessageWriter writer)
        throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: count=" + count);
        }
        checkInPlaceWrite(maxLengthBytes, writer);
        final Run run = new Run();
        int written = 0;
        while (written < count) {
            claimRunForWrite(run, Math.min(count - written, MAX_RUN));
            for (int i = 0; i < run.length; i++) {
                try {
                    fillInPlace(run.first + i, maxLengthBytes, writer);
                } catch (final Throwable failure) {
                    for (int rest = i + 1; rest < run.length; rest++) {
                        publish(slotOffset(run.first + rest), run.first + rest, ABORTED_LENGTH);
                    }
                    throw failure;
                }
            }
            written += run.length;
        }
    }

    @Override
    public void takeInPlace(final MessageReader reader) throws InterruptedException {
        readInPlace(Objects.requireNonNull(reader, "reader"), Long.MAX_VALUE);
    }

    @Override
    public boolean pollInPlace(final MessageReader reader, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        return readInPlace(Objects.requireNonNull(reader, "reader"), deadlineNs(timeout, unit));
    }

    @Override
    public int takeRunInPlace(final MessageReader reader, final int maxItems) throws InterruptedException {
        checkMaxItems(maxItems);
        Objects.requireNonNull(reader, "reader");
        final Run run = new Run();
        while (true) {
            claimRunForRead(run, Math.min(maxItems, MAX_RUN), Long.MAX_VALUE);
            final int taken = readRunInPlace(reader, run.first, run.length);
            if (taken > 0) {
                return taken;
            }
        }
    }

    private void checkInPlaceWrite(final int maxLengthBytes, final MessageWriter writer) {
        Objects.requireNonNull(writer, "writer");
        if (maxLengthBytes < 0) {
            throw new IllegalArgumentException("maxLengthBytes must not be negative: maxLengthBytes="
                + maxLengthBytes);
        }
        if (maxLengthBytes > maxMessageBytes) {
            throw new MessageTooLargeException(name, maxLengthBytes, maxMessageBytes);
        }
    }

    /**
     * Lets the writer fill the claimed slot and publishes it with the length the writer returned; whatever the
     * writer throws, the slot is published (as aborted), so it never stays claimed.
     */
    private void fillInPlace(final long position, final int maxLengthBytes, final MessageWriter writer) {
        final int slot = slotOffset(position);
        int length = ABORTED_LENGTH;
        try {
            final int written = writer.write(slotViews.writable(slot + SLOT_HEADER_LENGTH, maxLengthBytes));
            if (written < 0 || written > maxLengthBytes) {
                throw new IllegalStateException("writer returned a message length outside 0.." + maxLengthBytes
                    + " for queue '" + name + "': length=" + written);
            }
            length = written;
        } finally {
            publish(slot, position, length);
        }
    }

    /** Claims the next message (skipping aborted and torn slots), hands it to the reader and releases it. */
    private boolean readInPlace(final MessageReader reader, final long deadlineNs) throws InterruptedException {
        while (true) {
            final long position = claimForRead(deadlineNs);
            if (position == NO_POSITION) {
                return false;
            }
            if (position == END_OF_STREAM) {
                throw new EndOfStreamException(name);
            }
            final int slot = slotOffset(position);
            final int length = buffer.getInt(slot + SLOT_LENGTH_OFFSET);
            try {
                if (length != ABORTED_LENGTH && length != TORN_LENGTH) {
                    reader.read(readOnlyView(slot, length));
                    return true;
                }
            } finally {
                release(slot, position);
            }
        }
    }

    /**
     * Hands every message of a claimed run to the reader and releases each slot after its call, whatever the
     * reader throws; the first failure is thrown at the end, later ones suppressed in it.
     */
    private int readRunInPlace(final MessageReader reader, final long first, final int length) {
        int taken = 0;
        Throwable failure = null;
        for (int i = 0; i < length; i++) {
            final long position = first + i;
            final int slot = slotOffset(position);
            final int itemLength = buffer.getInt(slot + SLOT_LENGTH_OFFSET);
            try {
                if (itemLength != ABORTED_LENGTH && itemLength != TORN_LENGTH) {
                    reader.read(readOnlyView(slot, itemLength));
                    taken++;
                }
            } catch (final Throwable ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            } finally {
                release(slot, position);
            }
        }
        if (failure != null) {
            throw unchecked(failure);
        }
        return taken;
    }

    private ByteBuffer readOnlyView(final int slot, final int length) {
        if (length < 0 || length > maxMessageBytes) {
            throw new CodecException("corrupt slot in queue '" + name + "': length=" + length);
        }
        return slotViews.readOnly(slot + SLOT_HEADER_LENGTH, length);
    }

    /** Rethrows an unchecked throwable as it is; a checked one (thrown past the compiler) wrapped. */
    private static RuntimeException unchecked(final Throwable failure) {
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        throw new java.lang.reflect.UndeclaredThrowableException(failure);
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
        return takeUntil(deadlineNs(timeout, unit));
    }

    @Override
    public int size() {
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        final long tail = buffer.getLongVolatile(TAIL_OFFSET) & ~CLOSED_BIT;
        return (int) Math.max(0, Math.min(slotCount, tail - head));
    }

    @Override
    public boolean isClosed() {
        return (buffer.getLongVolatile(TAIL_OFFSET) & CLOSED_BIT) != 0;
    }

    @Override
    public boolean isEndOfStream() {
        final long tail = buffer.getLongVolatile(TAIL_OFFSET);
        return (tail & CLOSED_BIT) != 0 && buffer.getLongVolatile(HEAD_OFFSET) >= (tail & ~CLOSED_BIT);
    }

    @Override
    public void close() {
        long tail;
        do {
            tail = buffer.getLongVolatile(TAIL_OFFSET);
        } while ((tail & CLOSED_BIT) == 0 && !buffer.compareAndSetLong(TAIL_OFFSET, tail, tail | CLOSED_BIT));
        if (file != null) {
            file.close();
        }
    }

    @Override
    public Iterator<T> iterator() {
        return new DrainingIterator();
    }

    @Override
    public String toString() {
        return "Queue[" + name + ", capacity=" + slotCount + ", maxMessageBytes=" + maxMessageBytes + ", codec="
            + codec.id() + ']';
    }

    private boolean offerUntil(final T item, final long deadlineNs) throws InterruptedException {
        final long position = claimForWrite(deadlineNs);
        if (position == NO_POSITION) {
            return false;
        }
        throwIfFailed(write(position, item));
        return true;
    }

    private void checkItem(final T item) {
        Objects.requireNonNull(item, "item");
        if (item instanceof byte[] && ((byte[]) item).length > maxMessageBytes) {
            throw new MessageTooLargeException(name, ((byte[]) item).length, maxMessageBytes);
        }
    }

    /** Claims the slot at the tail, waiting while full until the deadline; {@link #NO_POSITION} on timeout. */
    private long claimForWrite(final long deadlineNs) throws InterruptedException {
        Idler idle = null;
        StallWatch thisCall = null;
        while (true) {
            final long tail = buffer.getLongVolatile(TAIL_OFFSET);
            if ((tail & CLOSED_BIT) != 0) {
                throw new QueueClosedException(name);
            }
            final long sequence = buffer.getLongVolatile(slotOffset(tail) + SLOT_SEQUENCE_OFFSET);
            if (sequence == tail) {
                if (buffer.compareAndSetLong(TAIL_OFFSET, tail, tail + 1)) {
                    hold(tail);
                    FaultPoints.afterWriteClaim();
                    return tail;
                }
            } else if (sequence < tail) {
                if (deadlinePassed(deadlineNs)) {
                    return NO_POSITION;
                }
                thisCall = whileFull(thisCall, tail);
                idle = idle(idle);
            }
        }
    }

    /** Marks a claimed slot as held by this process, so that others can tell when its holder died. */
    private void hold(final long position) {
        buffer.putIntRelease(slotOffset(position) + SLOT_HOLDER_PID_OFFSET, PID);
    }

    /**
     * A producer waits on a full queue: releases the slot at the tail if the consumer holding it died, and gives
     * up with {@link QueueStalledException} when no consumer has taken anything for the stall timeout.
     */
    private StallWatch whileFull(final StallWatch thisCall, final long tail) {
        final long now = System.nanoTime();
        final long head = buffer.getLongVolatile(HEAD_OFFSET);
        final long stuckNs = writeStall.stuckNs(head, now);
        if (repair.repairAfterNs() > 0 && stuckNs >= repair.repairAfterNs() && writeStall.checkDue(now)) {
            repair.releaseUnreleased(tail, slotOffset(tail), stuckNs);
        }
        if (timeouts.stallTimeoutNs() <= 0) {
            return thisCall;
        }
        // The stall timeout bounds one call: a put waits at most that long without consumer progress.
        final StallWatch watch = thisCall != null ? thisCall : new StallWatch();
        if (watch.stuckNs(head, now) >= timeouts.stallTimeoutNs()) {
            throw new QueueStalledException(name, timeouts.stallTimeoutNs() / 1_000_000, slotCount);
        }
        return watch;
    }

    /** A consumer waits on an empty slot: publishes it as torn if the producer that claimed it died. */
    private void whileEmpty(final long head) {
        if (repair.repairAfterNs() <= 0) {
            return;
        }
        final long now = System.nanoTime();
        final long stuckNs = readStall.stuckNs(head, now);
        if (stuckNs >= repair.repairAfterNs() && readStall.checkDue(now)) {
            repair.tearUnpublished(head, slotOffset(head), stuckNs);
        }
    }

    /**
     * Encodes the item into its claimed slot and publishes it; a failure publishes an aborted slot instead.
     *
     * @return the failure to throw, or null.
     */
    private RuntimeException write(final long position, final T item) {
        final int slot = slotOffset(position);
        final int payload = slot + SLOT_HEADER_LENGTH;
        final ByteBuffer view = views.get();
        view.limit(payload + maxMessageBytes).position(payload);
        RuntimeException failure = null;
        int length;
        try {
            codec.encode(item, view);
            length = view.position() - payload;
        } catch (final BufferOverflowException ex) {
            failure = new MessageTooLargeException(name, -1, maxMessageBytes);
            length = ABORTED_LENGTH;
        } catch (final CodecException ex) {
            failure = ex;
            length = ABORTED_LENGTH;
        } catch (final RuntimeException ex) {
            failure = new CodecException("codec " + codec.id() + " failed to encode a " + item.getClass().getName()
                + ": " + ex, ex);
            length = ABORTED_LENGTH;
        }
        publish(slot, position, length);
        return failure;
    }

    /** Sets the length (or {@link QueueDescriptor#ABORTED_LENGTH}) and publishes the slot to consumers. */
    private void publish(final int slot, final long position, final int length) {
        buffer.putInt(slot + SLOT_LENGTH_OFFSET, length);
        if (length == ABORTED_LENGTH) {
            buffer.getAndAddLong(ABORTED_COUNT_OFFSET, 1);
        }
        buffer.putInt(slot + SLOT_HOLDER_PID_OFFSET, 0);
        buffer.putLongRelease(slot + SLOT_SEQUENCE_OFFSET, position + 1);
    }

    private static void throwIfFailed(final RuntimeException failure) {
        if (failure != null) {
            throw failure;
        }
    }

    /** A run of consecutive positions claimed with one atomic operation. */
    private static final class Run {
        long first;
        int length;
    }

    /**
     * Claims up to {@code maxLength} consecutive free slots at the tail with one CAS, waiting while the queue is
     * full. A slot {@code t+i} whose sequence is {@code t+i} was released by its consumer for this lap, and no
     * producer can claim it before the tail passes {@code t}, so after the CAS the whole run is ours.
     */
    private void claimRunForWrite(final Run run, final int maxLength) throws InterruptedException {
        Idler idle = null;
        StallWatch thisCall = null;
        while (true) {
            final long tail = buffer.getLongVolatile(TAIL_OFFSET);
            if ((tail & CLOSED_BIT) != 0) {
                throw new QueueClosedException(name);
            }
            final long sequence = buffer.getLongVolatile(slotOffset(tail) + SLOT_SEQUENCE_OFFSET);
            if (sequence == tail) {
                int length = 1;
                while (length < maxLength
                    && buffer.getLongVolatile(slotOffset(tail + length) + SLOT_SEQUENCE_OFFSET) == tail + length) {
                    length++;
                }
                if (buffer.compareAndSetLong(TAIL_OFFSET, tail, tail + length)) {
                    for (int i = 0; i < length; i++) {
                        hold(tail + i);
                    }
                    run.first = tail;
                    run.length = length;
                    return;
                }
            } else if (sequence < tail) {
                thisCall = whileFull(thisCall, tail);
                idle = idle(idle);
            }
        }
    }

    /**
     * Claims a run of published slots at the head with one CAS (waiting for the first until the deadline),
     * decodes them into the target and releases them.
     */
    private int takeRun(final Collection<? super T> target, final int maxItems, final long deadlineNs)
        throws InterruptedException {
        checkMaxItems(maxItems);
        Objects.requireNonNull(target, "target");
        final Run run = new Run();
        while (claimRunForRead(run, Math.min(maxItems, MAX_RUN), deadlineNs)) {
            final int taken = readRun(target, run.first, run.length);
            if (taken > 0 || deadlineNs == 0) {
                return taken;
            }
        }
        return 0;
    }

    private static void checkMaxItems(final int maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1: maxItems=" + maxItems);
        }
    }

    /**
     * Claims up to {@code limit} consecutive published slots at the head with one CAS, waiting for the first until
     * the deadline; the caller must release every slot of the run.
     *
     * @return true with the run filled in, false if the deadline passed first.
     * @throws EndOfStreamException if the queue is closed and drained.
     */
    private boolean claimRunForRead(final Run run, final int limit, final long deadlineNs)
        throws InterruptedException {
        Idler idle = null;
        int waits = 0;
        while (true) {
            final long head = buffer.getLongVolatile(HEAD_OFFSET);
            final long sequence = buffer.getLongVolatile(slotOffset(head) + SLOT_SEQUENCE_OFFSET);
            if (sequence == head + 1) {
                int length = 1;
                while (length < limit && buffer.getLongVolatile(slotOffset(head + length) + SLOT_SEQUENCE_OFFSET)
                    == head + length + 1) {
                    length++;
                }
                if (buffer.compareAndSetLong(HEAD_OFFSET, head, head + length)) {
                    for (int i = 0; i < length; i++) {
                        hold(head + i);
                    }
                    run.first = head;
                    run.length = length;
                    return true;
                }
            } else if (sequence <= head) {
                if (endOfStreamCheckDue(waits++) && isEndOfStreamAt(head)) {
                    throw new EndOfStreamException(name);
                }
                if (deadlinePassed(deadlineNs)) {
                    return false;
                }
                whileEmpty(head);
                idle = idle(idle);
            }
        }
    }

    /**
     * Decodes and releases every slot of a claimed run, whatever fails: a slot claimed is always released. The
     * first failure (a decoding error, or the target refusing an item) is thrown at the end.
     */
    private int readRun(final Collection<? super T> target, final long first, final int length) {
        int taken = 0;
        RuntimeException failure = null;
        for (int i = 0; i < length; i++) {
            final long position = first + i;
            final int slot = slotOffset(position);
            final int itemLength = buffer.getInt(slot + SLOT_LENGTH_OFFSET);
            if (itemLength == ABORTED_LENGTH || itemLength == TORN_LENGTH) {
                release(slot, position);
                continue;
            }
            try {
                target.add(read(slot, position, itemLength));
                taken++;
            } catch (final RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return taken;
    }

    /**
     * Whether a waiting consumer should read the tail word for the closed bit now: at the first check of every
     * wait (so that {@code poll()} sees the end at once), then every 16th while it still spins (the tail's
     * cache line is the one producers CAS on every put, and a consumer polling it would slow each of them
     * down), and at every check once the wait has gone on longer.
     */
    private static boolean endOfStreamCheckDue(final int waits) {
        return waits >= SPINNING_WAITS || (waits & 15) == 0;
    }

    private boolean isEndOfStreamAt(final long head) {
        final long tail = buffer.getLongVolatile(TAIL_OFFSET);
        return (tail & CLOSED_BIT) != 0 && head >= (tail & ~CLOSED_BIT);
    }

    private T takeUntil(final long deadlineNs) throws InterruptedException {
        while (true) {
            final long position = claimForRead(deadlineNs);
            if (position == NO_POSITION) {
                return null;
            }
            if (position == END_OF_STREAM) {
                throw new EndOfStreamException(name);
            }
            final int slot = slotOffset(position);
            final int length = buffer.getInt(slot + SLOT_LENGTH_OFFSET);
            if (length == ABORTED_LENGTH || length == TORN_LENGTH) {
                release(slot, position);
                continue;
            }
            return read(slot, position, length);
        }
    }

    /** Claims the slot at the head, waiting while empty; {@link #NO_POSITION} on timeout. */
    private long claimForRead(final long deadlineNs) throws InterruptedException {
        Idler idle = null;
        int waits = 0;
        while (true) {
            final long head = buffer.getLongVolatile(HEAD_OFFSET);
            final long sequence = buffer.getLongVolatile(slotOffset(head) + SLOT_SEQUENCE_OFFSET);
            if (sequence == head + 1) {
                if (buffer.compareAndSetLong(HEAD_OFFSET, head, head + 1)) {
                    hold(head);
                    FaultPoints.afterReadClaim();
                    return head;
                }
            } else if (sequence <= head) {
                if (endOfStreamCheckDue(waits++) && isEndOfStreamAt(head)) {
                    return END_OF_STREAM;
                }
                if (deadlinePassed(deadlineNs)) {
                    return NO_POSITION;
                }
                whileEmpty(head);
                idle = idle(idle);
            }
        }
    }

    private T read(final int slot, final long position, final int length) {
        try {
            if (length < 0 || length > maxMessageBytes) {
                throw new CodecException("corrupt slot in queue '" + name + "': length=" + length);
            }
            final int payload = slot + SLOT_HEADER_LENGTH;
            final ByteBuffer view = views.get();
            view.limit(payload + length).position(payload);
            return codec.decode(view);
        } catch (final CodecException ex) {
            throw ex;
        } catch (final RuntimeException ex) {
            throw new CodecException("codec " + codec.id() + " failed to decode " + length + " bytes: " + ex, ex);
        } finally {
            release(slot, position);
        }
    }

    private void release(final int slot, final long position) {
        buffer.putInt(slot + SLOT_HOLDER_PID_OFFSET, 0);
        buffer.putLongRelease(slot + SLOT_SEQUENCE_OFFSET, position + slotCount);
    }

    private int slotOffset(final long position) {
        return HEADER_LENGTH + (int) (position & slotMask) * slotStride;
    }

    private Idler idle(final Idler current) throws InterruptedException {
        final Idler idle = current != null ? current : waitStrategy.newIdler();
        idle.idle();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting on queue '" + name + "'");
        }
        return idle;
    }

    private static long deadlineNs(final long timeout, final TimeUnit unit) {
        final long now = System.nanoTime();
        final long timeoutNs = unit.toNanos(Math.max(0, timeout));
        return now + timeoutNs < now ? Long.MAX_VALUE : now + timeoutNs;
    }

    private static boolean deadlinePassed(final long deadlineNs) {
        return deadlineNs != Long.MAX_VALUE && System.nanoTime() - deadlineNs >= 0;
    }

    private Object writeReplace() throws java.io.NotSerializableException {
        if (file == null) {
            throw new java.io.NotSerializableException("queue '" + name + "' lives in this process's memory only");
        }
        return new QueueRef<>(file.path(), name, codec, waitStrategy, timeouts);
    }

    private void readObject(final java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a queue travels as a QueueRef");
    }

    /** Takes until the end of the stream. */
    private final class DrainingIterator implements Iterator<T> {
        private T next;
        private boolean ended;

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            try {
                next = take();
                return true;
            } catch (final EndOfStreamException ex) {
                ended = true;
                return false;
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while taking from queue '" + name + "'", ex);
            }
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("queue '" + name + "' is at end of stream");
            }
            final T item = next;
            next = null;
            return item;
        }
    }
}
