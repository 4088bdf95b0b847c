package dev.forklift.cli.wordcount;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class PlainNumbersTest {
    @Test
    void groupedWritesWhatFormatterWrites() {
        for (final long value : new long[] {0, 7, 12, 999, 1_000, 12_345, 999_999, 1_000_000, 123_456_789_012L, -1,
            -1_000, -987_654_321L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(PlainNumbers.grouped(value)).isEqualTo(String.format(Locale.ROOT, "%,d", value));
            assertThat(PlainNumbers.grouped(value, 12)).isEqualTo(String.format(Locale.ROOT, "%,12d", value));
        }
    }

    @Test
    void fixedWritesWhatFormatterWrites() {
        for (final double value : new double[] {0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 0.000123, 42, 99.95,
            99.949999, 1e6 / 3, 123456.789, 1e-7, -0.04, -1.25, 1.0 / 3, 2.0 / 3, Double.NaN,
            Double.POSITIVE_INFINITY, 4.0e-5 / 0.43}) {
            for (int decimals = 1; decimals <= 3; decimals++) {
                assertThat(PlainNumbers.fixed(value, decimals)).as("%s with %d decimals", value, decimals)
                    .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
            }
        }
    }
}
