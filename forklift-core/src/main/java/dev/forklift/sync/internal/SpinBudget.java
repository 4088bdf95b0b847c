package dev.forklift.sync.internal;

/**
 * How long the flag waiters of one primitive handle spin before they yield, learnt from their last waits: a wait that
 * spun its budget out halves it (down to {@value #MIN_NS} ns), one that woke while spinning sets it back to
 * {@value #MAX_NS} ns, and after {@value #PROBE_AFTER} spun-out waits in a row one wait spins the whole
 * {@value #MAX_NS} ns again (a probe). Spinning pays when the setter runs on another CPU (the hand-over is seen
 * within a fraction of a microsecond); it is waste when the setter waits for this waiter's CPU (a loaded machine),
 * and then the budget shrinks until the waiter yields after its first look at the clock (16 spins, under a
 * microsecond), as a yield every 16th spin did. The probe gets two processes out of a state where each answers late
 * because the other is inside a yield, although they run on two CPUs. A hint: its updates race harmlessly between
 * threads. One per primitive handle; {@link Backoff} reads and updates it.
 */
public final class SpinBudget {
    static final long MAX_NS = 20_000;
    static final long MIN_NS = 250;
    static final int PROBE_AFTER = 16;

    private volatile long spinNs = MAX_NS;
    private volatile int spunOutInARow;

    /** @return the spin time of the next wait, in nanoseconds. */
    long spinNs() {
        return spunOutInARow >= PROBE_AFTER ? MAX_NS : spinNs;
    }

    /** A wait spun its whole budget without the flag. */
    void spunOut() {
        spunOutInARow = spunOutInARow >= PROBE_AFTER ? 0 : spunOutInARow + 1;
        spinNs = Math.max(MIN_NS, spinNs >> 1);
    }

    /** A wait saw its flag while spinning. */
    void wokeSpinning() {
        spunOutInARow = 0;
        spinNs = MAX_NS;
    }
}
