package dev.forklift.process.internal;

/**
 * Tests only: a task class for a warm host's hint whose rehearsal lasts until the spare's host answers (a lease, or
 * the end of its input), at most {@link #MAX_MS}: a host of this hint has spares that are still warming whenever a
 * test leases.
 */
public final class WarmsUntilLeased {
    /** The longest a rehearsal lasts, ms. */
    static final long MAX_MS = 60_000;

    private WarmsUntilLeased() {
    }

    /** Called by a warm worker while it warms ({@link WarmWorkerMain#warm()}). */
    public static void warmUp() throws InterruptedException {
        final long deadline = System.nanoTime() + MAX_MS * 1_000_000L;
        while (!WarmWorkerMain.inputCame() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
    }
}
