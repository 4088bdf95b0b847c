package dev.forklift.dashboard;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sampler shared by the viewers idles while nobody looks: a dashboard with no viewer and no request reads no
 * board at all (what "page closed" means in the bench's OBS cases), samples while an SSE viewer is connected, and
 * samples at once for a request after an idle spell.
 */
class SamplerIdleTest {
    private static final long PERIOD_MS = 100;

    @Test
    void samplesOnlyWhileSomeoneLooks() throws Exception {
        final AtomicInteger boardReads = new AtomicInteger(); // the sampler reads the failures once per sample
        try (Sampler sampler = new Sampler(owner -> false, () -> {
            boardReads.incrementAndGet();
            return List.of();
        }, "job", false, PERIOD_MS, null)) {
            Thread.sleep(6 * PERIOD_MS);
            assertThat(boardReads.get()).as("samples with nobody looking").isZero();
            assertThat(sampler.isSampling()).isFalse();

            final List<String> received = new CopyOnWriteArrayList<>();
            final Consumer<String> viewer = received::add;
            sampler.addListener(viewer);
            assertThat(sampler.samplesTaken()).as("a sample taken at once for the new viewer").isPositive();
            awaitTrue(() -> received.size() >= 3, "three snapshots pushed to the viewer");

            sampler.removeListener(viewer);
            awaitTrue(() -> !sampler.isSampling(), "the sampler idling after the viewer left");
            final long idleAt = sampler.samplesTaken();
            Thread.sleep(6 * PERIOD_MS);
            assertThat(sampler.samplesTaken()).as("samples while idle").isEqualTo(idleAt);

            final String before = sampler.snapshotJson();
            sampler.demand();
            assertThat(sampler.samplesTaken()).as("a request after an idle spell samples at once").isGreaterThan(idleAt);
            assertThat(sampler.snapshotJson()).isNotSameAs(before);
            assertThat(sampler.isSampling()).isTrue();
            awaitTrue(() -> !sampler.isSampling(), "the sampler idling again a few periods after the request");
        }
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
