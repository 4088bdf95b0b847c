package dev.forklift.cli.progress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line, drawn against a clock of the test's own: bar, percentage, a steady rate and ETA. */
class ProgressBarTest {
    private static final Pattern ETA = Pattern.compile("ETA (\\d+)m(\\d\\d)s");

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000L);
    private final StringWriter drawn = new StringWriter();

    private ProgressBar bar(final ProgressBar.Mode mode) {
        return new ProgressBar(new PrintWriter(drawn, true), mode, "run", 5_000, clockNs::get, false);
    }

    private void advanceMs(final long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
    }

    private static long etaSeconds(final String line) {
        final Matcher eta = ETA.matcher(line);
        assertThat(eta.find()).as(line).isTrue();
        return Long.parseLong(eta.group(1)) * 60 + Long.parseLong(eta.group(2));
    }

    @Test
    void aTerminalLineShowsABarThePercentageAndAnEta() {
        final ProgressBar bar = bar(ProgressBar.Mode.TERMINAL);
        bar.total(1_000);
        advanceMs(2_000);
        bar.addDone(250);
        bar.draw();

        assertThat(drawn.toString()).startsWith("\r\033[K[#####...............] run: 250/1,000 done (25%), 0 failed");
        assertThat(etaSeconds(drawn.toString())).isEqualTo(6);
    }

    @Test
    void theEtaFollowsTheRecentRateAndDoesNotJumpWithEveryBurstOfResults() {
        final ProgressBar bar = bar(ProgressBar.Mode.TERMINAL);
        bar.total(3_000);
        // A slow start (workers starting: nothing for 3 s), then 100 results in a burst every second.
        advanceMs(3_000);
        final List<Long> etas = new ArrayList<>();
        for (int tick = 1; tick <= 200; tick++) {
            advanceMs(100);
            if (tick % 10 == 0) {
                bar.addDone(100);
            }
            final String line = bar.line();
            if (tick > 60) {
                etas.add(etaSeconds(line));
            }
        }
        // 20 s after the start, 2,000 done at 100/s: 10 s left.
        assertThat(etas.get(etas.size() - 1)).isBetween(9L, 11L);
        for (int i = 1; i < etas.size(); i++) {
            assertThat(Math.abs(etas.get(i) - etas.get(i - 1))).as("ETA step at %d: %s", i, etas).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void theEtaFollowsARateThatChangesInsteadOfTheAverageSinceTheStart() {
        final ProgressBar bar = bar(ProgressBar.Mode.TERMINAL);
        bar.total(5_000);
        String line = "";
        for (int second = 1; second <= 20; second++) {
            for (int tick = 0; tick < 10; tick++) {
                advanceMs(100);
                bar.addDone(second <= 10 ? 5 : 20);
                line = bar.line();
            }
        }
        // 500 done in the first 10 s, 2,000 in the next 10: 2,500 left at 200/s is 12.5 s (the average, 125/s,
        // would say 20 s).
        assertThat(etaSeconds(line)).as(line).isBetween(11L, 14L);
    }

    @Test
    void aCommandThatRunsForASetTimeShowsTheTimeLeft() {
        final ProgressBar bar = bar(ProgressBar.Mode.PLAIN);
        bar.expectedDuration(Duration.ofSeconds(60));
        bar.detail(() -> "kills 3");
        advanceMs(15_000);
        bar.addDone(42);
        bar.draw();

        assertThat(drawn.toString()).startsWith("run: 42 done (25%), 0 failed").contains("ETA 0m45s")
            .endsWith(", kills 3" + System.lineSeparator());
    }

    @Test
    void plainModePrintsALinePerDrawAndOffPrintsNothing() {
        final ProgressBar plain = bar(ProgressBar.Mode.PLAIN);
        plain.draw();
        plain.draw();
        plain.close();
        assertThat(drawn.toString().lines()).hasSize(3).allMatch(line -> line.startsWith("run: 0 done"));

        drawn.getBuffer().setLength(0);
        final ProgressBar off = bar(ProgressBar.Mode.OFF);
        off.draw();
        off.close();
        assertThat(drawn.toString()).isEmpty();
    }

    @Test
    void linesAreCountedForTheTotal(@TempDir final Path dir) throws Exception {
        assertThat(LineCounter.count(Files.writeString(dir.resolve("a"), "x\ny\n"))).isEqualTo(2);
        assertThat(LineCounter.count(Files.writeString(dir.resolve("b"), "x\ny"))).isEqualTo(2);
        assertThat(LineCounter.count(Files.writeString(dir.resolve("c"), ""))).isZero();
        assertThat(LineCounter.count(dir.resolve("missing"))).isEqualTo(-1);
    }
}
