package dev.forklift.sync;

import dev.forklift.sync.internal.StateFile;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What every shared value, shared array and shared segment has in common: a name, a file in the per-user
 * shared-memory directory, and the rules for passing, opening and closing it.
 *
 * <ul>
 * <li><b>Create</b> in any process ({@code SharedLong.create("hits")}); the creating process owns it.</li>
 * <li><b>Pass to a child</b> as an argument ({@code ChildProcess.builder(...).args(hits)}): it travels as a small
 *     reference and arrives attached.</li>
 * <li><b>Open by name</b> from any JVM of the same user ({@code SharedLong.open("hits")}), also one not started by
 *     Forklift: the name is the one given at creation, 1 to 48 letters, digits, '-' or '_'. Two live objects of one
 *     kind ({@code value}, {@code array}, {@code segment}) cannot share a name.</li>
 * <li><b>Permissions:</b> as a queue's, the file is the user's own ({@code 0600} in a {@code 0700} directory):
 *     other users can neither open nor see it.</li>
 * <li><b>Clean-up:</b> {@link #close()} in the owner deletes the file (processes that have it attached keep working
 *     on their mapping; it is freed when the last one lets go), so does the owner's normal exit; if the owner dies,
 *     the next Forklift process that opens the directory deletes it. {@code close()} elsewhere only drops the
 *     reference. After close the object stays safe to touch (never a crash), but can no longer be opened by name.</li>
 * <li><b>Listed</b> by {@code forklift ps}, under the job (or process) that owns it.</li>
 * </ul>
 *
 * <p>Thread-safe, also across processes. No operation blocks or makes a system call, except creating, opening and
 * closing (file I/O).
 *
 * @serial exclude
 */
public abstract class SharedState implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    final transient StateFile file;

    SharedState(final StateFile file) {
        this.file = file;
    }

    /** @return the name it was created with, by which {@code open(name)} finds it. */
    public final String name() {
        return file.name();
    }

    /** @return true in the process that created it (whose {@link #close()} deletes it). */
    public final boolean isOwner() {
        return file.isOwner();
    }

    /** @return the pid of the process that created it. */
    public final long ownerPid() {
        return file.ownerPid();
    }

    /** @return its file in the shared-memory directory. */
    public final Path path() {
        return file.path();
    }

    /**
     * In the owner: deletes the file, so that it can no longer be opened by name (attached processes keep their
     * mapping). Elsewhere: drops this process's reference. Idempotent; never blocks but on the file system.
     */
    @Override
    public final void close() {
        file.close();
    }

    final Object writeReplace() {
        return new StateRef(file.path(), file.type(), file.name());
    }

    private void readObject(final ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("shared state travels as a reference");
    }
}
