package dev.forklift.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's bookkeeping and table, with fake cases: no measurement happens here. */
class HarnessTest {
    /** A case that returns fixed figures, alternately from two lists. */
    static final class FixedCase implements BenchCase {
        private final String name;
        private final boolean higherIsBetter;
        private final double[] forklift;
        private final double[] peer;
        private int forkliftRuns;
        private int peerRuns;

        FixedCase(final String name, final boolean higherIsBetter, final double[] forklift, final double[] peer) {
            this.name = name;
            this.higherIsBetter = higherIsBetter;
            this.forklift = forklift;
            this.peer = peer;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fixed figures";
        }

        @Override
        public String unit() {
            return higherIsBetter ? "msgs/s" : "us";
        }

        @Override
        public boolean higherIsBetter() {
            return higherIsBetter;
        }

        @Override
        public double targetRatio() {
            return 10;
        }

        /** A NaN among the figures makes that run fail. */
        @Override
        public double runForklift() {
            final double value = forklift[forkliftRuns++];
            if (Double.isNaN(value)) {
                throw new IllegalStateException("run " + forkliftRuns + " failed");
            }
            return value;
        }

        @Override
        public double runPeer() throws Exception {
            if (peer == null) {
                throw new IllegalStateException("no python here");
            }
            return peer[peerRuns++];
        }
    }

    @Test
    void shouldTakeMedianAndSpread() {
        final Stats stats = new Stats();
        for (final double value : new double[] {5, 1, 3, 4}) {
            stats.add(value);
        }
        assertThat(stats.median()).isEqualTo(3.5);
        assertThat(stats.min()).isEqualTo(1);
        assertThat(stats.max()).isEqualTo(5);
        assertThat(stats.summary()).isEqualTo("3.50 [1.00..5.00]");
    }

    @Test
    void shouldJudgeRatiosBothWaysAndReportFailures() throws Exception {
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final boolean pass = new Harness(3, new PrintStream(table, true, StandardCharsets.UTF_8),
            new PrintStream(progress, true, StandardCharsets.UTF_8)).run(List.of(
                new FixedCase("FAST", true, new double[] {100, 300, 200}, new double[] {10, 20, 30}),
                new FixedCase("LOW", false, new double[] {1, 2, 3}, new double[] {15, 20, 25}),
                new FixedCase("BROKEN", true, new double[] {1, 1, 1}, null)));
        final List<String> rows = table.toString(StandardCharsets.UTF_8).lines()
            .filter(line -> line.matches("(FAST|LOW|BROKEN) .*")).collect(Collectors.toList());
        assertThat(rows.get(0)).contains("200 [100..300]").contains("10x").contains("PASS");
        assertThat(rows.get(1)).contains("2.00 [1.00..3.00]").contains("10x").contains("PASS");
        assertThat(rows.get(2)).contains("error").contains("FAIL");
        assertThat(table.toString(StandardCharsets.UTF_8))
            .contains("peer error (3 of 3 runs failed): java.lang.IllegalStateException");
        assertThat(pass).isFalse();
    }

    @Test
    void aCaseWhoseRunsPartlyFailedFailsWhateverItsMedians() throws Exception {
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final boolean pass = new Harness(3, new PrintStream(table, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(List.of(
                new FixedCase("WHOLE", true, new double[] {100, 300, 200}, new double[] {10, 20, 30}),
                new FixedCase("PARTLY", true, new double[] {100, Double.NaN, 300}, new double[] {10, 20, 30})));
        final String text = table.toString(StandardCharsets.UTF_8);
        final List<String> rows = text.lines().filter(line -> line.matches("(WHOLE|PARTLY) .*"))
            .collect(Collectors.toList());
        assertThat(rows.get(0)).contains("PASS");
        // Its two good runs alone would meet the target (median 200 against 20: 10x).
        assertThat(rows.get(1)).contains("200 [100..300]").contains("10x").contains("FAIL");
        assertThat(text).contains("Forklift error (1 of 3 runs failed): java.lang.IllegalStateException: run 2 failed");
        assertThat(pass).isFalse();
    }

    @Test
    void theVerdictNeedsEveryRunOfBothSidesAndTheTarget() {
        final BenchCase fast = new FixedCase("V", true, new double[0], new double[0]);
        final Stats good = stats(100, 200, 300);
        final Stats peer = stats(10, 20, 30);
        assertThat(Harness.passes(fast, good, peer)).isTrue();
        final Stats partly = stats(100, 200, 300);
        partly.fail("one run failed");
        assertThat(Harness.passes(fast, partly, peer)).isFalse();
        final Stats peerPartly = stats(10, 20, 30);
        peerPartly.fail("one peer run failed");
        assertThat(Harness.passes(fast, good, peerPartly)).isFalse();
        assertThat(Harness.passes(fast, stats(1, 2, 3), peer)).as("below the target").isFalse();
        assertThat(Harness.passes(fast, new Stats(), peer)).as("no run at all").isFalse();
    }

    private static Stats stats(final double... values) {
        final Stats stats = new Stats();
        for (final double value : values) {
            stats.add(value);
        }
        return stats;
    }

    @Test
    void shouldRegisterEveryCaseOfTheIssueOnceEach() {
        final List<String> names = BenchCases.all().stream().map(BenchCase::name).collect(Collectors.toList());
        assertThat(names).contains("Q16", "Q1K", "Q64K", "QMPMC", "QOBJ", "RTT", "IDLE").doesNotHaveDuplicates();
        assertThat(getClass().getResource("/python/mp_peers.py")).isNotNull();
    }
}
