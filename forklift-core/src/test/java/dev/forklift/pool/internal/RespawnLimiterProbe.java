package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.List;

/** Test access to the package-private {@link RespawnLimiter}. */
public final class RespawnLimiterProbe {
    private final RespawnLimiter limiter = new RespawnLimiter();

    public List<Long> delaysAfterCrashes(final int crashes) {
        final List<Long> delays = new ArrayList<>();
        for (int i = 0; i < crashes; i++) {
            limiter.crashed();
            delays.add(limiter.delayMs());
        }
        return delays;
    }

    public long delayAfterSuccess() {
        limiter.succeeded();
        return limiter.delayMs();
    }
}
