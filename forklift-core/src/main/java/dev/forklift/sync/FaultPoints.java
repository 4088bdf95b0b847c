package dev.forklift.sync;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic crash points for the reliability tests of the robust primitives: the process halts (exit 137, as
 * if killed) in the middle of an update of shared state, holding the guard lock, after the redo record is written
 * and before it is applied. Each point is off unless its system property is set to {@code n > 0}; a disabled point
 * costs one constant check.
 * <ul>
 * <li>{@value #HALT_IN_SEMAPHORE_UPDATE_PROP_NAME}: in the n-th update of a semaphore's permits;</li>
 * <li>{@value #HALT_IN_MAP_WRITE_PROP_NAME}: in the n-th write of a shared map's entry, half of the value
 * written.</li>
 * </ul>
 */
final class FaultPoints {
    static final String HALT_IN_SEMAPHORE_UPDATE_PROP_NAME = "forklift.fault.sync.haltInSemaphoreUpdate";
    static final String HALT_IN_MAP_WRITE_PROP_NAME = "forklift.fault.sync.haltInMapWrite";

    private static final long HALT_IN_SEMAPHORE_UPDATE = Long.getLong(HALT_IN_SEMAPHORE_UPDATE_PROP_NAME, 0);
    private static final long HALT_IN_MAP_WRITE = Long.getLong(HALT_IN_MAP_WRITE_PROP_NAME, 0);
    private static final AtomicLong SEMAPHORE_UPDATES = new AtomicLong();
    private static final AtomicLong MAP_WRITES = new AtomicLong();
    private static final int KILLED_EXIT_CODE = 137;

    private FaultPoints() {
    }

    static void whileUpdatingSemaphore() {
        haltAt(HALT_IN_SEMAPHORE_UPDATE, SEMAPHORE_UPDATES);
    }

    static void whileWritingMapEntry() {
        haltAt(HALT_IN_MAP_WRITE, MAP_WRITES);
    }

    private static void haltAt(final long haltAt, final AtomicLong count) {
        if (haltAt > 0 && count.incrementAndGet() == haltAt) {
            Runtime.getRuntime().halt(KILLED_EXIT_CODE);
        }
    }
}
