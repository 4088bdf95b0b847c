package dev.forklift.sync.internal;

import dev.forklift.shm.ProcessLiveness;

/**
 * The task counters of a joinable queue, in a shared-state file ({@link StateFileDescriptor}, type
 * {@link StateType#TASK_COUNTERS}): how many items were put and not yet marked done, and per consumer process how
 * many it took and has not marked done, so that the items of a consumer that died can be written off.
 *
 * <pre>
 *  128 +-------------------------------+-------------------------------+
 *      | unfinished (64 bits)          | written off (64 bits)         |   element 0
 *  144 +-------------------------------+-------------------------------+
 *      | consumer pid (64; 0 = free)   | outstanding (64 bits)         |   element 1: consumer slot 0
 *      +-------------------------------+-------------------------------+
 *      | ...                                                           |   up to {@link #MAX_CONSUMERS} slots
 *      +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Protocol. A producer adds 1 to {@code unfinished} before it puts an item (so that a join never sees the
 * count at 0 while the item is in the queue), and takes it back if the put fails. A consumer process claims a slot
 * once, by CAS of its pid from 0 to its own; after each take it adds 1 to its slot's {@code outstanding}; a
 * {@code taskDone} takes 1 off its {@code outstanding} (by CAS, never below 0: more calls than items taken is an
 * error) and then 1 off {@code unfinished}. A joiner waits until {@code unfinished} less the items the queue
 * itself lost (torn puts, reads abandoned by a dead consumer) is 0; while waiting it writes off the slots of dead
 * consumers: CAS of {@code outstanding} from the {@code k} it read to 0 (so that of two joiners only one writes off
 * those {@code k}), then {@code unfinished -= k} and {@code written off += k}, then CAS of the pid back to 0.
 * Only slots of dead pids are written off, and a dead process changes nothing any more, so a write-off never races
 * with the slot's owner.
 *
 * <p>Known windows, each a few instructions long: a producer killed between its count and its claim, a consumer
 * killed between the end of its take and its count, or between its two decrements in {@code taskDone}, leaves 1 in
 * {@code unfinished} that nothing takes off: a join then waits for it (bounded by {@code join(timeout)}).
 *
 * <p>Thread-safe, also across processes. Internal; not API.
 */
public final class TaskCounters {
    /** Consumer processes a joinable queue can have over its life at once. */
    public static final int MAX_CONSUMERS = 64;
    /** Elements of the file: the totals, then one per consumer slot. */
    public static final int ELEMENTS = 1 + MAX_CONSUMERS;

    static final int UNFINISHED_OFFSET = StateFileDescriptor.PAYLOAD_OFFSET;
    static final int WRITTEN_OFF_OFFSET = UNFINISHED_OFFSET + Long.BYTES;

    private final StateFile file;
    /** This process's slot, or -1 before its first take. */
    private volatile int ownSlot = -1;

    /** @param file a file of type {@link StateType#TASK_COUNTERS}. */
    public TaskCounters(final StateFile file) {
        this.file = file;
    }

    /** @return the file. */
    public StateFile file() {
        return file;
    }

    static int pidOffset(final int slot) {
        return StateFileDescriptor.PAYLOAD_OFFSET + (slot + 1) * 16;
    }

    static int outstandingOffset(final int slot) {
        return pidOffset(slot) + Long.BYTES;
    }

    /**
     * @param slot a consumer slot.
     * @return the pid holding it, 0 when free.
     */
    public long consumerPid(final int slot) {
        return file.getLong(pidOffset(slot));
    }

    /**
     * @param slot a consumer slot.
     * @return the items its consumer took and has not marked done.
     */
    public long outstanding(final int slot) {
        return file.getLong(outstandingOffset(slot));
    }

    /** @param items items about to be put (negative: a put that failed). */
    public void addUnfinished(final long items) {
        file.getAndAddLong(UNFINISHED_OFFSET, items);
    }

    /** @return items put and not yet marked done (nor written off). */
    public long unfinished() {
        return file.getLong(UNFINISHED_OFFSET);
    }

    /** @return items written off because their consumer died before marking them done. */
    public long writtenOff() {
        return file.getLong(WRITTEN_OFF_OFFSET);
    }

    /**
     * Counts items this process took.
     *
     * @param items how many.
     * @throws IllegalStateException if every consumer slot is held by a live process.
     */
    public void noteTaken(final long items) {
        if (items > 0) {
            file.getAndAddLong(outstandingOffset(slot()), items);
        }
    }

    /**
     * Marks one item this process took as done.
     *
     * @throws IllegalStateException if this process has no item taken and not yet marked done.
     */
    public void taskDone() {
        final int slot = ownSlot;
        if (slot >= 0) {
            final int offset = outstandingOffset(slot);
            for (long k = file.getLong(offset); k > 0; k = file.getLong(offset)) {
                if (file.compareAndSetLong(offset, k, k - 1)) {
                    file.getAndAddLong(UNFINISHED_OFFSET, -1);
                    return;
                }
            }
        }
        throw new IllegalStateException("taskDone() called more times than this process took items from joinable"
            + " queue '" + file.name() + "' (pid " + ProcessHandle.current().pid() + ')');
    }

    /**
     * Writes off the items of every dead consumer (see the class comment).
     *
     * @return the number of items written off by this call.
     */
    public long writeOffDeadConsumers() {
        long total = 0;
        for (int slot = 0; slot < MAX_CONSUMERS; slot++) {
            final long pid = file.getLong(pidOffset(slot));
            if (pid != 0 && !ProcessLiveness.isAlive(pid)) {
                total += writeOff(slot, pid);
            }
        }
        return total;
    }

    /**
     * Writes off one dead consumer's slot: its outstanding items leave the unfinished count, once, whoever else does
     * it at the same time; then the slot is freed.
     *
     * @param slot the slot.
     * @param pid  the dead pid seen in it.
     * @return the items this call wrote off.
     */
    public long writeOff(final int slot, final long pid) {
        final int offset = outstandingOffset(slot);
        long written = 0;
        for (long k = file.getLong(offset); k > 0; k = file.getLong(offset)) {
            if (file.compareAndSetLong(offset, k, 0)) {
                file.getAndAddLong(UNFINISHED_OFFSET, -k);
                file.getAndAddLong(WRITTEN_OFF_OFFSET, k);
                written = k;
                break;
            }
        }
        file.compareAndSetLong(pidOffset(slot), pid, 0);
        return written;
    }

    private int slot() {
        int slot = ownSlot;
        if (slot >= 0) {
            return slot;
        }
        synchronized (this) {
            if (ownSlot >= 0) {
                return ownSlot;
            }
            final long self = ProcessHandle.current().pid();
            for (int i = 0; i < MAX_CONSUMERS; i++) {
                if (file.getLong(pidOffset(i)) == self) {
                    ownSlot = i;
                    return i;
                }
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                for (int i = 0; i < MAX_CONSUMERS; i++) {
                    if (file.compareAndSetLong(pidOffset(i), 0, self)) {
                        ownSlot = i;
                        return i;
                    }
                }
                writeOffDeadConsumers();
            }
        }
        throw new IllegalStateException("joinable queue '" + file.name() + "' already has " + MAX_CONSUMERS
            + " live consumer processes: MAX_CONSUMERS=" + MAX_CONSUMERS);
    }
}
