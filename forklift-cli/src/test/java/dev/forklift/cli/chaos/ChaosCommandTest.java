package dev.forklift.cli.chaos;

import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@ProcessDeadline(seconds = 150)
class ChaosCommandTest {
    static CommandRun run(final String... args) {
        return CommandRun.of(args);
    }

    @Test
    void aShortRunKillsWorkersAndProducersAndFindsEveryInputExactlyOnce() {
        final CommandRun run = run("chaos", "--minutes", "0.2", "--kill-every", "1500ms", "--seed", "7", "--stall-limit",
            "60s");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("result:    OK (lost 0, duplicates 0)")
            .containsPattern("pool: +tasks [1-9]\\d* in").containsPattern("pipeline: +items [1-9]\\d* in")
            .contains("peak parent heap").contains("peak RSS of all processes");
        final Matcher totals = Pattern.compile("totals: +tasks (\\d+), kills (\\d+), retries (\\d+), lost 0, "
            + "duplicates 0").matcher(run.out());
        assertThat(totals.find()).as(run.out()).isTrue();
        assertThat(Long.parseLong(totals.group(2))).as("kills").isPositive();
    }

    @Test
    void eachWorkloadRunsAtLeastOneRoundHoweverShortTheRun() {
        // 6 ms: over before any pool starts; both workloads must still have run a full round and been checked
        final CommandRun run = run("chaos", "--minutes", "0.0001", "--kill-every", "1h", "--seed", "7");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("pool: +tasks [1-9]\\d* in 1 rounds")
            .containsPattern("pipeline: +items [1-9]\\d* in 1 rounds").contains("result:    OK (lost 0, duplicates 0)");
    }

    @Test
    void theVerdictIsOkOnlyWithNothingLostDuplicatedWrongFailedOrCancelled() {
        final ChaosVerdict clean = new ChaosVerdict(false, 90, null, 0, 0, 0, 0, 0);
        assertThat(clean.ok()).isTrue();
        assertThat(clean.line()).isEqualTo("OK (lost 0, duplicates 0)");
        // "lost 0" does not hide pool inputs that failed after their retries (a spurious crash, say) ...
        final ChaosVerdict failed = new ChaosVerdict(false, 90, null, 0, 0, 0, 3, 0);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.line()).isEqualTo("FAILED (lost 0, duplicates 0, pool inputs failed after retries 3)");
        // ... nor inputs cancelled without the shutdown that follows a stall.
        final ChaosVerdict cancelled = new ChaosVerdict(false, 90, null, 0, 0, 0, 0, 2);
        assertThat(cancelled.ok()).isFalse();
        assertThat(cancelled.line()).contains("pool inputs cancelled 2");
        assertThat(new ChaosVerdict(false, 90, null, 1, 0, 0, 0, 0).ok()).isFalse();
        assertThat(new ChaosVerdict(false, 90, null, 0, 1, 0, 0, 0).ok()).isFalse();
        assertThat(new ChaosVerdict(false, 90, null, 0, 0, 1, 0, 0).line()).contains("wrong 1");
        final ChaosVerdict stalled = new ChaosVerdict(true, 90, null, 0, 0, 0, 0, 947);
        assertThat(stalled.ok()).isFalse();
        assertThat(stalled.line()).isEqualTo("FAILED: no progress for 90 s (a hang)");
        assertThat(new ChaosVerdict(false, 90, new IllegalStateException("boom"), 0, 0, 0, 0, 0).line())
            .isEqualTo("FAILED: java.lang.IllegalStateException: boom");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(run("chaos", "--minutes", "0").exitCode()).isEqualTo(2);
        assertThat(run("chaos", "--minutes", "-1").exitCode()).isEqualTo(2);
        final CommandRun badDuration = run("chaos", "--kill-every", "3 parsecs");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("--kill-every");
    }
}
