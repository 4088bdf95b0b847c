package dev.forklift.sync;

import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncKind;

/**
 * A reentrant lock in shared memory that survives its holder's death (see {@link SharedLock}): the holding thread
 * may lock it again, and must unlock it as many times. The hold count lives in shared memory, so a process killed
 * while it holds the lock several times frees it all at once for the next holder (who gets
 * {@link #previousOwnerDied()}). The counterpart of Python's {@code multiprocessing.RLock}.
 */
public final class SharedReentrantLock extends SharedLock {
    private static final long serialVersionUID = 1L;

    SharedReentrantLock(final SyncFile file) {
        super(file, true);
    }

    /**
     * Creates a reentrant lock others can open by name.
     *
     * @param name 1 to 48 letters, digits, '-' or '_'; unique among the live reentrant locks of this user.
     * @return the lock, free, owned by this process.
     * @throws IllegalArgumentException if the name is not valid, or a live reentrant lock has it.
     */
    public static SharedReentrantLock create(final String name) {
        return new SharedReentrantLock(SyncFile.create(SyncKind.REENTRANT_LOCK, name, 0, new int[0], null, m -> { }));
    }

    /** @return a new reentrant lock with a fresh name, to pass to children as an argument. */
    public static SharedReentrantLock create() {
        return create(null);
    }

    /**
     * @param name the name of a live reentrant lock of this user.
     * @return a handle; closing it does not delete the lock.
     * @throws dev.forklift.ForkliftException if no live reentrant lock has that name.
     */
    public static SharedReentrantLock open(final String name) {
        return new SharedReentrantLock(SyncFile.openByName(SyncKind.REENTRANT_LOCK, name));
    }

    /** @return how many times the calling thread holds the lock (0 if it does not). */
    public int holdCount() {
        return word.holdCountOfCurrentThread();
    }
}
