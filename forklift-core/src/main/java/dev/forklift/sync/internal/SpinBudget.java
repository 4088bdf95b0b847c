package dev.forklift.sync.internal;

/**
 * How long the flag waiters of one primitive handle spin before they yield, learnt from their last waits: halved
 * (down to {@value #MIN_NS} ns) by a wait that spun its budget out, doubled (up to {@value #MAX_NS} ns) by one that
 * woke while spinning. Spinning pays when the setter runs on another CPU (the hand-over is seen within a fraction of
 * a microsecond); it is waste when the setter waits for this waiter's CPU (a loaded machine), and then the budget
 * shrinks until the waiter yields after its first look at the clock (16 spins, under a microsecond), as a yield every 16th spin did. A hint: its updates
 * race harmlessly between threads. One per primitive handle; {@link Backoff} reads and updates it.
 */
public final class SpinBudget {
    static final long MAX_NS = 20_000;
    static final long MIN_NS = 250;

    private volatile long spinNs = MAX_NS;

    /** @return the spin time of the next wait, in nanoseconds. */
    long spinNs() {
        return spinNs;
    }

    /** A wait spun its whole budget without the flag. */
    void spunOut() {
        spinNs = Math.max(MIN_NS, spinNs >> 1);
    }

    /** A wait saw its flag while spinning. */
    void wokeSpinning() {
        spinNs = Math.min(MAX_NS, spinNs << 1);
    }
}
