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
    void badValuesAreUsageErrors() {
        assertThat(run("chaos", "--minutes", "0").exitCode()).isEqualTo(2);
        assertThat(run("chaos", "--minutes", "-1").exitCode()).isEqualTo(2);
        final CommandRun badDuration = run("chaos", "--kill-every", "3 parsecs");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("--kill-every");
    }
}
