package dev.forklift.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code forklift --version} names the build: version, git commit and timestamp, filled in by the build. */
class VersionTest {
    @Test
    void theVersionNamesTheVersionTheCommitOfThisCheckoutAndTheBuildTimestamp() throws Exception {
        final CommandRun run = CommandRun.of("--version");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        final String first = run.out().lines().findFirst().orElseThrow();
        assertThat(first).matches("forklift \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}(-dirty)?|unknown),"
            + " build timestamp \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\)");
        assertThat(run.out()).contains("java " + System.getProperty("java.version"));
        final String head = gitHead();
        if (head != null) {
            assertThat(first).contains("(commit " + head);
        }
    }

    @Test
    void everySubCommandsVersionOptionNamesTheBuildToo() {
        final String expected = CommandRun.of("--version").out();
        for (final String[] args : new String[][] {{"run", "--version"}, {"wordcount", "-V"}, {"demo", "--version"},
            {"chaos", "-V"}, {"ps", "--version"}}) {
            final CommandRun run = CommandRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).as(String.join(" ", args)).isEqualTo(expected);
        }
    }

    /** @return the abbreviated commit of this checkout, or null without git. */
    private static String gitHead() throws InterruptedException {
        try {
            final Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
        } catch (final IOException ex) {
            return null;
        }
    }
}
