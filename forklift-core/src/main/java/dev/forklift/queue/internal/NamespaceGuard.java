package dev.forklift.queue.internal;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.PidNamespace;
import dev.forklift.shm.ProcessLiveness;

import static dev.forklift.queue.internal.QueueDescriptor.FLAGS_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.MIXED_PID_NAMESPACES_FLAG;
import static dev.forklift.queue.internal.QueueDescriptor.PID_NAMESPACE_OFFSET;

/**
 * The pid-namespace rule of a queue (see "Pid namespaces" in {@link QueueDescriptor}): the creator records its
 * namespace, an attacher from another namespace marks the queue mixed, and in a mixed queue no holder pid is ever
 * judged dead. The one hook {@link HolderRepair} asks before it repairs by pid is {@link #holderKnownDead}.
 * Stateless; thread-safe across processes (the flag only ever gains its bit, by CAS). Public for the jcstress test
 * of the flag against a concurrent repairer; internal, not API.
 */
public final class NamespaceGuard {
    private NamespaceGuard() {
    }

    /**
     * Called by the creator while it initialises the header, before the layout version is published.
     *
     * @param buffer the queue's memory.
     */
    public static void recordCreator(final AtomicMemory buffer) {
        buffer.putLong(PID_NAMESPACE_OFFSET, PidNamespace.current());
    }

    /**
     * Called by every process that attaches, before it can claim a slot or judge a holder: marks the queue mixed
     * when this process's pid namespace is not the creator's.
     *
     * @param buffer the queue's memory.
     * @return true if the queue is (now) mixed.
     */
    public static boolean noteAttacher(final AtomicMemory buffer) {
        if (buffer.getLongVolatile(PID_NAMESPACE_OFFSET) == PidNamespace.current()) {
            return isMixed(buffer);
        }
        int flags;
        do {
            flags = buffer.getIntVolatile(FLAGS_OFFSET);
            if ((flags & MIXED_PID_NAMESPACES_FLAG) != 0) {
                return true;
            }
        } while (!buffer.compareAndSetInt(FLAGS_OFFSET, flags, flags | MIXED_PID_NAMESPACES_FLAG));
        return true;
    }

    /**
     * @param buffer the queue's memory.
     * @return true once a process of another pid namespace than the creator's has attached.
     */
    public static boolean isMixed(final AtomicMemory buffer) {
        return (buffer.getIntVolatile(FLAGS_OFFSET) & MIXED_PID_NAMESPACES_FLAG) != 0;
    }

    /**
     * Whether a slot's holder may be taken for dead. Read the holder pid (volatile) before calling: a foreign
     * process sets the flag before it stores any pid, so a foreign pid read first is always seen with the flag.
     *
     * @param buffer the queue's memory.
     * @param pid    the holder pid read from the slot, not 0.
     * @return true only if the queue is not mixed and the process is dead in this namespace.
     */
    public static boolean holderKnownDead(final AtomicMemory buffer, final int pid) {
        return !isMixed(buffer) && !ProcessLiveness.isAlive(pid);
    }
}
