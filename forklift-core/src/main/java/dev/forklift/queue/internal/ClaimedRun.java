package dev.forklift.queue.internal;

/**
 * A run of consecutive positions that one batch call claimed with a single CAS of the tail (for writing) or of
 * the head (for reading), filled in by {@link SlotRing#claimRunForWrite} and {@link SlotRing#claimRunForRead}.
 * Whoever claimed the run must publish (producers) or release (consumers) every slot of it.
 *
 * <p>Not thread-safe: a mutable holder made by one batch call and used by its thread only, so that a claim can
 * hand back two values without allocating per claim.
 */
final class ClaimedRun {
    /** Most slots one batch operation claims at once. */
    static final int MAX_LENGTH = 256;

    /** The first position of the run. */
    long first;
    /** How many positions the run holds, at least 1 once claimed. */
    int length;

    /**
     * @param maxItems the most items a batch read may take, as the caller gave it.
     * @throws IllegalArgumentException if it is less than 1.
     */
    static void checkMaxItems(final int maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1: maxItems=" + maxItems);
        }
    }
}
