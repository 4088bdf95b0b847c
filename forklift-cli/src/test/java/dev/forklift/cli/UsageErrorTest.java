package dev.forklift.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A usage error prints one line naming the problem and a hint where the help is, not the whole help; the tool's
 * name appears once. No child JVM starts for any of these.
 */
class UsageErrorTest {
    @Test
    void aMissingCommandNamesTheToolOnceAndPointsToTheHelp() {
        final CommandRun run = CommandRun.of();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("forklift: missing command").doesNotContain("forklift forklift");
        assertOneLineAndAHint(run, "forklift");
    }

    @Test
    void parseErrorsOfEveryCommandAreOneLineAndAHint(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "x\n");
        final List<List<String>> mistakes = List.of(
            List.of("run", "--task", ScriptedTask.class.getName(), "--workers", "many", input.toString()),
            List.of("run", input.toString()),
            List.of("wordcount", "--top", "lots", "x"),
            List.of("demo", "--consumers", "many"),
            List.of("chaos", "--seed", "x"),
            List.of("ps", "--every"));
        for (final List<String> args : mistakes) {
            final CommandRun run = CommandRun.of(args.toArray(new String[0]));
            assertThat(run.exitCode()).as(args.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).as(args.toString()).startsWith("forklift " + args.get(0) + ": ");
            assertOneLineAndAHint(run, "forklift " + args.get(0));
        }
    }

    @Test
    void valuesTheCommandsCheckThemselvesAreOneLineAndAHintToo(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "x\n");
        final List<List<String>> mistakes = List.of(
            List.of("run", "--task", ScriptedTask.class.getName(), "--workers", "0", input.toString()),
            List.of("run", "--task", ScriptedTask.class.getName(), "--timeout", "5 parsecs", input.toString()),
            List.of("run", "--task", "no.such.Task", input.toString()),
            List.of("wordcount", "--producers", "0", "x"),
            List.of("demo", "--producers", "0"),
            List.of("chaos", "--minutes", "0"));
        for (final List<String> args : mistakes) {
            final CommandRun run = CommandRun.of(args.toArray(new String[0]));
            assertThat(run.exitCode()).as(args.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).as(args.toString()).startsWith("forklift " + args.get(0) + ": ");
            assertOneLineAndAHint(run, "forklift " + args.get(0));
        }
    }

    @Test
    void aMistypedOptionGetsASuggestionButStillNoWholeHelp() {
        final CommandRun run = CommandRun.of("demo", "--producer", "2");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("forklift demo: Unknown options: '--producer'").contains("--producers")
            .endsWith("see 'forklift demo --help'\n").doesNotContain("Usage:");
    }

    private static void assertOneLineAndAHint(final CommandRun run, final String command) {
        assertThat(run.err().split("\n")).as(run.err()).hasSize(2);
        assertThat(run.err()).as(run.err()).endsWith("\nsee '" + command + " --help'\n").doesNotContain("Usage:");
        assertThat(run.out()).isEmpty();
    }
}
