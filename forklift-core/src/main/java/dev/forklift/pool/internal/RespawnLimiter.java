package dev.forklift.pool.internal;

/**
 * Spaces out replacements of crashed workers: no delay after a success, then 50 ms doubling with each consecutive
 * crash up to 2 s, so that a poison input can never cause a spawn storm. Guarded by the pool's lock. Internal.
 */
final class RespawnLimiter {
    static final long FIRST_DELAY_MS = 50;
    static final long MAX_DELAY_MS = 2_000;

    private int consecutiveCrashes;

    void crashed() {
        consecutiveCrashes = Math.min(consecutiveCrashes + 1, 30);
    }

    void succeeded() {
        consecutiveCrashes = 0;
    }

    long delayMs() {
        if (consecutiveCrashes == 0) {
            return 0;
        }
        return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << Math.min(consecutiveCrashes - 1, 16));
    }
}
