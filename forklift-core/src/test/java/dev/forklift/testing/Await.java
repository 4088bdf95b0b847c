package dev.forklift.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a timeout passes: for conditions that offer nothing to block on. */
public final class Await {
    private static final long POLL_INTERVAL_MS = 10;

    private Await() {
    }

    /**
     * @param timeout   the longest wait.
     * @param condition the condition.
     * @param what      describes the condition for the failure message.
     * @throws AssertionError if the condition does not hold in time.
     */
    public static void until(final Duration timeout, final BooleanSupplier condition, final Supplier<String> what) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
            }
            try {
                Thread.sleep(POLL_INTERVAL_MS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what.get(), ex);
            }
        }
    }
}
