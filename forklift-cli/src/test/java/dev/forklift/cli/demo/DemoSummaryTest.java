package dev.forklift.cli.demo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSummaryTest {
    @Test
    void shouldBeLosslessOnlyWhenEverySourceMatches() {
        final DemoSummary equal = new DemoSummary();
        equal.addAll(List.of(new SourceTally("produced", 1, "a", 10, 99, 30, 0),
            new SourceTally("consumed", 2, "a", 6, 50, 20, 0), new SourceTally("consumed", 3, "a", 4, 49, 10, 0)));
        assertThat(equal.isLossless()).isTrue();

        final DemoSummary lost = new DemoSummary();
        lost.addAll(List.of(new SourceTally("produced", 1, "a", 10, 99, 30, 0),
            new SourceTally("consumed", 2, "a", 9, 90, 27, 0)));
        assertThat(lost.isLossless()).isFalse();

        final DemoSummary damaged = new DemoSummary();
        damaged.addAll(List.of(new SourceTally("produced", 1, "a", 10, 99, 30, 0),
            new SourceTally("consumed", 2, "a", 10, 99, 30, 1)));
        assertThat(damaged.isLossless()).isFalse();

        final DemoSummary missingSource = new DemoSummary();
        missingSource.addAll(List.of(new SourceTally("produced", 1, "a", 1, 1, 1, 0),
            new SourceTally("produced", 1, "b", 1, 1, 1, 0), new SourceTally("consumed", 2, "a", 1, 1, 1, 0)));
        assertThat(missingSource.isLossless()).isFalse();
    }
}
