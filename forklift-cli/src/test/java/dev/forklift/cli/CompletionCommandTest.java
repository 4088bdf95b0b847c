package dev.forklift.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code forklift completion bash|zsh} prints a script that a shell uses to complete commands and options. */
class CompletionCommandTest {
    @Test
    void bashCompletesCommandsAndTheirOptions(@TempDir final Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
        final CommandRun run = CommandRun.of("completion", "bash");
        assertThat(run.exitCode()).as(run.err()).isZero();
        final Path script = Files.writeString(dir.resolve("forklift.bash"), run.out());

        assertThat(complete(script, "forklift wordc")).isEqualTo("wordcount\n");
        assertThat(complete(script, "forklift wo")).isEqualTo("wordcount\nworker\n");
        assertThat(complete(script, "forklift run --max-")).contains("--max-input-size\n", "--max-rss\n");
        assertThat(complete(script, "forklift completion ")).isEqualTo("bash\nzsh\n");
    }

    @Test
    void zshGetsTheScriptThatLoadsBashCompletionIntoIt() {
        final CommandRun run = CommandRun.of("completion", "zsh");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("bashcompinit").contains("complete -F _complete_forklift");
    }

    @Test
    void anotherShellIsAUsageError() {
        final CommandRun run = CommandRun.of("completion", "fish");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("forklift completion: SHELL fish: give bash or zsh");
    }

    /** What bash offers for the last word of {@code line}, one candidate a line. */
    private static String complete(final Path script, final String line) throws Exception {
        final String words = line.endsWith(" ") ? line + "''" : line;
        final String program = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + words + "); "
            + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _complete_forklift 2>/dev/null; "
            + "printf '%s\\n' \"${COMPREPLY[@]}\"";
        final Process bash = new ProcessBuilder("/bin/bash", "-c", program).redirectErrorStream(true).start();
        final String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
