package dev.forklift.bench.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PairedRatiosTest {
    @Test
    void studentQuantileMatchesTheTable() {
        assertThat(PairedRatios.studentT975(3)).isCloseTo(3.182, within(0.01));
        assertThat(PairedRatios.studentT975(5)).isCloseTo(2.571, within(0.005));
        assertThat(PairedRatios.studentT975(10)).isCloseTo(2.228, within(0.001));
        assertThat(PairedRatios.studentT975(11)).isCloseTo(2.201, within(0.001));
        assertThat(PairedRatios.studentT975(30)).isCloseTo(2.042, within(0.001));
        assertThat(PairedRatios.studentT975(1000)).isCloseTo(1.962, within(0.001));
    }

    @Test
    void meanMedianAndIntervalOfKnownRatios() {
        final PairedRatios ratios = new PairedRatios();
        // ratios 0.98, 0.99, 1.00, 1.01, 1.02: mean 1.0, sd 0.0158, t(4) = 2.776
        for (final double r : new double[] {0.98, 0.99, 1.00, 1.01, 1.02}) {
            ratios.add(r * 200, 200);
        }
        assertThat(ratios.count()).isEqualTo(5);
        assertThat(ratios.mean()).isCloseTo(1.0, within(1e-12));
        assertThat(ratios.quantile(0.5)).isCloseTo(1.0, within(1e-12));
        assertThat(ratios.quantile(0.25)).isCloseTo(0.99, within(1e-12));
        assertThat(ratios.standardDeviation()).isCloseTo(0.0158114, within(1e-6));
        assertThat(ratios.halfWidth95()).isCloseTo(2.776 * 0.0158114 / Math.sqrt(5), within(2e-4));
        assertThat(ratios.verdict(0.99)).isEqualTo("NOT RESOLVED");
        assertThat(ratios.summary()).contains("mean 1.0000").contains("5 pairs");
    }

    @Test
    void verdictNeedsTheWholeIntervalOnOneSide() {
        final PairedRatios cheap = new PairedRatios();
        final PairedRatios dear = new PairedRatios();
        for (int i = 0; i < 20; i++) {
            cheap.add(0.998 + (i % 2) * 0.004, 1);
            dear.add(0.95 + (i % 2) * 0.004, 1);
        }
        assertThat(cheap.verdict(0.99)).isEqualTo("SHOWN");
        assertThat(dear.verdict(0.99)).isEqualTo("REFUTED");
        assertThat(new PairedRatios().verdict(0.99)).isEqualTo("NOT RESOLVED");
    }

    @Test
    void refusesNonPositiveMeasurements() {
        assertThatThrownBy(() -> new PairedRatios().add(0, 1)).hasMessageContaining("with=0.0");
    }
}
