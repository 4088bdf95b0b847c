package dev.forklift.queue.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic crash points for the reliability tests: when the system property
 * {@value #HALT_AFTER_WRITE_CLAIMS_PROP_NAME} (or {@value #HALT_AFTER_READ_CLAIMS_PROP_NAME}) is {@code n > 0},
 * the process halts (exit 137, as if killed) right after its n-th slot claim as a producer (or consumer), holding
 * the slot, before publishing (or releasing) it. Off unless set; a disabled point costs one constant check.
 */
final class FaultPoints {
    /** Halt after this many claims for writing. */
    static final String HALT_AFTER_WRITE_CLAIMS_PROP_NAME = "forklift.fault.queue.haltAfterWriteClaims";
    /** Halt after this many claims for reading. */
    static final String HALT_AFTER_READ_CLAIMS_PROP_NAME = "forklift.fault.queue.haltAfterReadClaims";

    private static final long HALT_AFTER_WRITE_CLAIMS = Long.getLong(HALT_AFTER_WRITE_CLAIMS_PROP_NAME, 0);
    private static final long HALT_AFTER_READ_CLAIMS = Long.getLong(HALT_AFTER_READ_CLAIMS_PROP_NAME, 0);
    private static final AtomicLong WRITE_CLAIMS = new AtomicLong();
    private static final AtomicLong READ_CLAIMS = new AtomicLong();
    private static final int KILLED_EXIT_CODE = 137;

    private FaultPoints() {
    }

    static void afterWriteClaim() {
        if (HALT_AFTER_WRITE_CLAIMS > 0 && WRITE_CLAIMS.incrementAndGet() == HALT_AFTER_WRITE_CLAIMS) {
            Runtime.getRuntime().halt(KILLED_EXIT_CODE);
        }
    }

    static void afterReadClaim() {
        if (HALT_AFTER_READ_CLAIMS > 0 && READ_CLAIMS.incrementAndGet() == HALT_AFTER_READ_CLAIMS) {
            Runtime.getRuntime().halt(KILLED_EXIT_CODE);
        }
    }
}
