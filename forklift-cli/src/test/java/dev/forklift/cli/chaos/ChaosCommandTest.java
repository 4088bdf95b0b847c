package dev.forklift.cli.chaos;

import dev.forklift.cli.Main;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@ProcessDeadline(seconds = 150)
class ChaosCommandTest {
    record Run(int exitCode, String out, String err) {
    }

    static Run run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void aShortRunKillsWorkersAndProducersAndFindsEveryInputExactlyOnce() {
        final Run run = run("chaos", "--minutes", "0.2", "--kill-every", "1500ms", "--seed", "7", "--stall-limit",
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
        final Run badDuration = run("chaos", "--kill-every", "3 parsecs");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("--kill-every");
    }
}
