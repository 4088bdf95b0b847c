package dev.forklift.bench.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PlacementSampler}: which CPU two processes' busiest threads last ran on, from {@code /proc}. */
@EnabledOnOs(OS.LINUX)
class PlacementSamplerTest {
    @Test
    void samplesAreReadFromProcAndCounted() {
        final long self = ProcessHandle.current().pid();
        final PlacementSampler sampler = PlacementSampler.of(self, self);
        assertThat(sampler).isNotNull();
        assertThat(sampler.sameCpuShare()).as("no sample yet").isNaN();
        for (int i = 0; i < 5; i++) {
            sampler.sample();
        }
        // The busiest thread is chosen per process by two scans, which may pick two threads of this one process.
        assertThat(sampler.sameCpuShare()).isBetween(0.0, 1.0);
    }

    @Test
    void aProcessThatDoesNotExistGivesNoSampler() {
        assertThat(PlacementSampler.of(ProcessHandle.current().pid(), Long.MAX_VALUE)).isNull();
    }
}
