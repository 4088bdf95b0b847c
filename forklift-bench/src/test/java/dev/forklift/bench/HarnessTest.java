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

        @Override
        public double runForklift() {
            return forklift[forkliftRuns++];
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
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("peer error: java.lang.IllegalStateException");
        assertThat(pass).isFalse();
    }

    @Test
    void shouldRegisterEveryCaseOfTheIssueOnceEach() {
        final List<String> names = BenchCases.all().stream().map(BenchCase::name).collect(Collectors.toList());
        assertThat(names).contains("Q16", "Q1K", "Q64K", "QMPMC", "QOBJ", "RTT", "IDLE").doesNotHaveDuplicates();
        assertThat(getClass().getResource("/python/mp_peers.py")).isNotNull();
    }
}
