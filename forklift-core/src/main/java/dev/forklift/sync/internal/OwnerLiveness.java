package dev.forklift.sync.internal;

import dev.forklift.shm.AtomicMemory;

/**
 * Who this process is and whether the owner of a word is dead, as the robust primitives see them: the owner word a
 * process CASes in ({@link OwnerStamp}) and the judgement a waiter makes before it takes a word from its owner.
 *
 * <p>{@link #of(AtomicMemory)} is the real one, for a primitive's file. Tests of the protocols (and their jcstress
 * tests) give several "processes" over one memory owner words and a liveness of their choosing, to play live and
 * dead processes inside one JVM. Implementations are thread-safe and never block for long.
 */
public interface OwnerLiveness {
    /** @return the owner word this process CASes in: pid and start stamp, no flags; never 0. */
    long ownWord();

    /**
     * @param ownerWord an owner word read from shared memory (flags are ignored), not 0.
     * @return true only if that owner is certainly dead. Never true for {@link #ownWord()}.
     */
    boolean isDead(long ownerWord);

    /**
     * The real liveness for a primitive's file: this JVM's pid and start stamp, and {@link OwnerStamp#isDead}; no
     * owner is ever judged once a process of another pid namespace attached ({@link SyncFileLayout#FLAGS_OFFSET}):
     * its pids mean nothing here.
     *
     * @param header the file's memory.
     * @return the liveness.
     */
    static OwnerLiveness of(final AtomicMemory header) {
        return new OwnerLiveness() {
            @Override
            public long ownWord() {
                return OwnerStamp.ofThisProcess();
            }

            @Override
            public boolean isDead(final long ownerWord) {
                return !SyncFileLayout.isMixed(header) && OwnerStamp.isDead(ownerWord & OwnerStamp.OWNER_MASK);
            }
        };
    }

    /**
     * For tests: a process with the given owner word that takes exactly one other owner word for dead.
     *
     * @param ownWord  this "process"'s word.
     * @param deadWord the one word it judges dead.
     * @return the liveness.
     */
    static OwnerLiveness playing(final long ownWord, final long deadWord) {
        return new OwnerLiveness() {
            @Override
            public long ownWord() {
                return ownWord;
            }

            @Override
            public boolean isDead(final long ownerWord) {
                return (ownerWord & OwnerStamp.OWNER_MASK) == deadWord && deadWord != ownWord;
            }
        };
    }
}
