package dev.forklift.sync;

import java.util.OptionalLong;
import java.util.concurrent.BrokenBarrierException;

/**
 * A {@link SharedBarrier} is broken: a party died (or exited) while others waited for it, a waiting party timed out
 * or was interrupted, the barrier was reset, or its action failed. Thrown by {@code await} in every waiting party
 * and in each later one until {@link SharedBarrier#reset()}. A {@link BrokenBarrierException}, so code written for
 * {@link java.util.concurrent.CyclicBarrier} catches it; {@link #deadPartyPid()} names the dead party.
 *
 * @serial exclude
 */
public final class BarrierBrokenException extends BrokenBarrierException {
    private static final long serialVersionUID = 1L;

    /** Why the barrier broke. */
    public enum Reason {
        /** A process that waits at this barrier died (or exited) while others waited for it. */
        PARTY_DIED,
        /** A waiting party's timeout passed. */
        TIMEOUT,
        /** A waiting party was interrupted. */
        INTERRUPTED,
        /** {@link SharedBarrier#reset()} was called while parties waited. */
        RESET,
        /** The barrier action threw. */
        ACTION_FAILED
    }

    private final Reason reason;
    private final long deadPartyPid;

    BarrierBrokenException(final String message, final Reason reason, final long deadPartyPid) {
        super(message);
        this.reason = reason;
        this.deadPartyPid = deadPartyPid;
    }

    /** @return why the barrier broke. */
    public Reason reason() {
        return reason;
    }

    /** @return the pid of the party that died, when that broke the barrier. */
    public OptionalLong deadPartyPid() {
        return deadPartyPid > 0 ? OptionalLong.of(deadPartyPid) : OptionalLong.empty();
    }
}
