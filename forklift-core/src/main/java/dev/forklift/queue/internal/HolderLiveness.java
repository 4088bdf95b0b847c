package dev.forklift.queue.internal;

import dev.forklift.shm.ProcessLiveness;

/**
 * Who this process is and whether another process is alive, as the slot protocol sees them: the pid a claimer
 * stamps into the slots it holds, and the check a repairer makes before it takes a slot from its holder.
 *
 * <p>{@link #OF_THIS_PROCESS} is the real one. Tests of the protocol (and its jcstress tests) give rings that
 * share one memory different pids and a liveness of their choosing, to play several processes, some of them dead,
 * inside one JVM. Implementations are thread-safe and never block for long.
 */
interface HolderLiveness {
    /** This JVM's pid and {@link ProcessLiveness}. */
    HolderLiveness OF_THIS_PROCESS = new HolderLiveness() {
        private final int pid = (int) ProcessHandle.current().pid();

        @Override
        public int ownPid() {
            return pid;
        }

        @Override
        public boolean isAlive(final int holderPid) {
            return ProcessLiveness.isAlive(holderPid);
        }
    };

    /** @return the pid this process stamps into the slots it holds, positive. */
    int ownPid();

    /**
     * @param holderPid the pid found in a slot, positive.
     * @return false only if that process is certainly dead (a zombie counts as dead).
     */
    boolean isAlive(int holderPid);
}
