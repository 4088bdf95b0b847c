package dev.forklift.sync;

import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncKind;

/**
 * A mutual-exclusion lock in shared memory that survives its holder's death (see {@link SharedLock}): not
 * reentrant, so a thread that locks it twice gets {@link IllegalMonitorStateException} instead of a deadlock. The
 * counterpart of Python's {@code multiprocessing.Lock}, with the owner-died notice of a robust POSIX mutex.
 *
 * <pre>{@code
 * try (SharedMutex mutex = SharedMutex.create("ledger")) {      // parent
 *     ChildProcess.builder(Worker.class).args(mutex).start();   // the child gets the same lock
 * }
 * SharedMutex mutex = SharedMutex.open("ledger");               // any JVM of the same user
 * }</pre>
 */
public final class SharedMutex extends SharedLock {
    private static final long serialVersionUID = 1L;

    SharedMutex(final SyncFile file) {
        super(file, false);
    }

    /**
     * Creates a mutex others can open by name.
     *
     * @param name 1 to 48 letters, digits, '-' or '_'; unique among the live mutexes of this user.
     * @return the mutex, free, owned by this process (its {@code close()} deletes it).
     * @throws IllegalArgumentException if the name is not valid, or a live mutex has it.
     */
    public static SharedMutex create(final String name) {
        return new SharedMutex(SyncFile.create(SyncKind.MUTEX, name, 0, new int[0], null, m -> { }));
    }

    /** @return a new mutex with a fresh name, to pass to children as an argument. */
    public static SharedMutex create() {
        return create(null);
    }

    /**
     * Opens the live mutex of this user with that name (made by any process).
     *
     * @param name its name.
     * @return a handle; closing it does not delete the mutex.
     * @throws dev.forklift.ForkliftException if no live mutex has that name.
     */
    public static SharedMutex open(final String name) {
        return new SharedMutex(SyncFile.openByName(SyncKind.MUTEX, name));
    }
}
