package dev.forklift.queue.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic crash points for the reliability tests: the process halts (exit 137, as if killed) while it holds
 * slots, before publishing (or releasing) them. Each point is off unless its system property is set to
 * {@code n > 0}; a disabled point costs one constant check.
 * <ul>
 * <li>{@value #HALT_AFTER_WRITE_CLAIMS_PROP_NAME}: right after the n-th single slot claim as a producer;</li>
 * <li>{@value #HALT_AFTER_READ_CLAIMS_PROP_NAME}: right after the n-th single slot claim as a consumer;</li>
 * <li>{@value #HALT_BEFORE_WRITE_STAMP_PROP_NAME}: after the n-th single slot claim as a producer, before the
 * pid is written into the slot: the slot is claimed with no holder pid;</li>
 * <li>{@value #HALT_AFTER_WRITE_RUN_CLAIMS_PROP_NAME}: right after the n-th run claimed for writing
 * ({@code putAll}, {@code putRunInPlace}), every slot of it stamped with the pid;</li>
 * <li>{@value #HALT_AFTER_READ_RUN_CLAIMS_PROP_NAME}: right after the n-th run claimed for reading
 * ({@code drainTo}, {@code takeInto}, {@code takeRunInPlace});</li>
 * <li>{@value #HALT_AFTER_WRITE_RUN_STAMPS_PROP_NAME}: inside the claim of a run for writing, once n of its slots
 * carry the pid: the rest of the run has no holder pid yet.</li>
 * </ul>
 */
final class FaultPoints {
    /** Halt after this many single claims for writing. */
    static final String HALT_AFTER_WRITE_CLAIMS_PROP_NAME = "forklift.fault.queue.haltAfterWriteClaims";
    /** Halt after this many single claims for reading. */
    static final String HALT_AFTER_READ_CLAIMS_PROP_NAME = "forklift.fault.queue.haltAfterReadClaims";
    /** Halt after this many single claims for writing, before the slot carries the pid. */
    static final String HALT_BEFORE_WRITE_STAMP_PROP_NAME = "forklift.fault.queue.haltBeforeWriteStamp";
    /** Halt after this many runs claimed for writing. */
    static final String HALT_AFTER_WRITE_RUN_CLAIMS_PROP_NAME = "forklift.fault.queue.haltAfterWriteRunClaims";
    /** Halt after this many runs claimed for reading. */
    static final String HALT_AFTER_READ_RUN_CLAIMS_PROP_NAME = "forklift.fault.queue.haltAfterReadRunClaims";
    /** Halt while claiming a run for writing, once this many of its slots carry the pid. */
    static final String HALT_AFTER_WRITE_RUN_STAMPS_PROP_NAME = "forklift.fault.queue.haltAfterWriteRunStamps";

    private static final long HALT_AFTER_WRITE_CLAIMS = Long.getLong(HALT_AFTER_WRITE_CLAIMS_PROP_NAME, 0);
    private static final long HALT_AFTER_READ_CLAIMS = Long.getLong(HALT_AFTER_READ_CLAIMS_PROP_NAME, 0);
    private static final long HALT_BEFORE_WRITE_STAMP = Long.getLong(HALT_BEFORE_WRITE_STAMP_PROP_NAME, 0);
    private static final long HALT_AFTER_WRITE_RUN_CLAIMS = Long.getLong(HALT_AFTER_WRITE_RUN_CLAIMS_PROP_NAME, 0);
    private static final long HALT_AFTER_READ_RUN_CLAIMS = Long.getLong(HALT_AFTER_READ_RUN_CLAIMS_PROP_NAME, 0);
    private static final long HALT_AFTER_WRITE_RUN_STAMPS = Long.getLong(HALT_AFTER_WRITE_RUN_STAMPS_PROP_NAME, 0);
    private static final AtomicLong WRITE_CLAIMS = new AtomicLong();
    private static final AtomicLong READ_CLAIMS = new AtomicLong();
    private static final AtomicLong UNSTAMPED_WRITE_CLAIMS = new AtomicLong();
    private static final AtomicLong WRITE_RUN_CLAIMS = new AtomicLong();
    private static final AtomicLong READ_RUN_CLAIMS = new AtomicLong();
    private static final int KILLED_EXIT_CODE = 137;

    private FaultPoints() {
    }

    static void afterWriteClaim() {
        haltAt(HALT_AFTER_WRITE_CLAIMS, WRITE_CLAIMS);
    }

    static void afterReadClaim() {
        haltAt(HALT_AFTER_READ_CLAIMS, READ_CLAIMS);
    }

    static void beforeWriteStamp() {
        haltAt(HALT_BEFORE_WRITE_STAMP, UNSTAMPED_WRITE_CLAIMS);
    }

    static void afterWriteRunClaim() {
        haltAt(HALT_AFTER_WRITE_RUN_CLAIMS, WRITE_RUN_CLAIMS);
    }

    static void afterReadRunClaim() {
        haltAt(HALT_AFTER_READ_RUN_CLAIMS, READ_RUN_CLAIMS);
    }

    /** @param stamped how many slots of the run being claimed carry the pid so far. */
    static void whileStampingWriteRun(final int stamped) {
        if (HALT_AFTER_WRITE_RUN_STAMPS > 0 && stamped == HALT_AFTER_WRITE_RUN_STAMPS) {
            Runtime.getRuntime().halt(KILLED_EXIT_CODE);
        }
    }

    private static void haltAt(final long haltAfter, final AtomicLong count) {
        if (haltAfter > 0 && count.incrementAndGet() == haltAfter) {
            Runtime.getRuntime().halt(KILLED_EXIT_CODE);
        }
    }
}
