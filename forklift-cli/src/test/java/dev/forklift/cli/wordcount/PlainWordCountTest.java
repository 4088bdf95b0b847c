package dev.forklift.cli.wordcount;

import dev.forklift.cli.Main;
import dev.forklift.cli.PlainPathRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlainWordCount}: the plain grammar it reads and every other command line it leaves to picocli; and a plain
 * count in a real command-line JVM (with a real producer JVM): it builds no picocli model of the command, and prints
 * and exits exactly as the same command line through picocli ({@value PlainWordCount#ENABLED_PROPERTY}{@code =false}),
 * the elapsed time aside.
 */
@ProcessDeadline(seconds = 180)
class PlainWordCountTest {
    /** The picocli class that builds a command's model from its annotations. */
    private static final String MODEL_BUILDER = "picocli.CommandLine$Model$CommandReflection ";

    @Test
    void readsTheFlagsAndRegularFilesAndLeavesEverythingElseToPicocli(@TempDir final Path dir) throws Exception {
        final String a = Files.writeString(dir.resolve("a.txt"), "alpha\n").toString();
        final String b = Files.writeString(dir.resolve("b.txt"), "beta\n").toString();

        assertThat(PlainWordCount.parse(new String[] {"wordcount", a, b}))
            .isEqualTo(new PlainWordCount.Args(List.of(a, b), false, false));
        assertThat(PlainWordCount.parse(new String[] {"wordcount", a, "--quiet", b, "--json"}))
            .isEqualTo(new PlainWordCount.Args(List.of(a, b), true, true));

        final List<String[]> declined = List.of(new String[] {"wordcount"}, new String[] {"wordcount", "--quiet"},
            new String[] {"run", a}, new String[] {"wordcount", "--quiet", "--quiet", a},
            new String[] {"wordcount", "--json", a, "--json"}, new String[] {"wordcount", "--producers", "1", a},
            new String[] {"wordcount", "--producers=1", a}, new String[] {"wordcount", "--top", "3", a},
            new String[] {"wordcount", "--consumers", "1", a}, new String[] {"wordcount", "--fail-fast", a},
            new String[] {"wordcount", "--dead-letter", dir.resolve("dl.jsonl").toString(), a},
            new String[] {"wordcount", "--sample", dir.resolve("s").toString()},
            new String[] {"wordcount", "--dashboard", a}, new String[] {"wordcount", "--help"},
            new String[] {"wordcount", "--version"}, new String[] {"wordcount", "-h", a},
            new String[] {"wordcount", "--", a}, new String[] {"wordcount", "-", a},
            new String[] {"wordcount", "@" + a}, new String[] {"wordcount", a, dir.toString()},
            new String[] {"wordcount", a, dir.resolve("missing.txt").toString()},
            new String[] {"wordcount", dir.resolve("*.txt").toString()}, new String[] {"wordcount", "--Quiet", a});
        for (final String[] args : declined) {
            assertThat(PlainWordCount.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void aPlainCommandHasTheFieldsPicocliGivesTheSameCommandLine(@TempDir final Path dir) throws Exception {
        final String a = Files.writeString(dir.resolve("a.txt"), "alpha\n").toString();
        final String b = Files.writeString(dir.resolve("b.txt"), "beta\n").toString();
        for (final String[] args : List.of(new String[] {"wordcount", a}, new String[] {"wordcount", "--quiet", a, b},
            new String[] {"wordcount", b, "--json", a}, new String[] {"wordcount", "--json", "--quiet", a})) {
            final PlainWordCount.Args parsed = PlainWordCount.parse(args);
            final WordCountCommand plain = WordCountCommand.plain(parsed.paths(), parsed.quiet(), parsed.json());
            final WordCountCommand picocli = new WordCountCommand();
            new picocli.CommandLine(picocli).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
            for (final String field : List.of("producers", "consumers", "top", "json", "quiet", "sample", "sampleMb",
                "failFast", "deadLetter", "paths")) {
                assertThat(field(plain, field)).as(String.join(" ", args) + ": " + field)
                    .isEqualTo(field(picocli, field));
            }
        }
    }

    private static Object field(final WordCountCommand command, final String name) throws Exception {
        final java.lang.reflect.Field field = WordCountCommand.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(command);
    }

    @Test
    void aPlainCountBuildsNoPicocliModelAndPrintsWhatPicocliPrints(@TempDir final Path dir) throws Exception {
        final String a = Files.writeString(dir.resolve("a.txt"), "the quick brown fox\njumps over the dog\n")
            .toString();
        final String b = Files.writeString(dir.resolve("b.txt"), "The dog sleeps\n").toString();

        for (final String[] args : List.of(new String[] {"wordcount", "--quiet", a, b},
            new String[] {"wordcount", "--json", "--quiet", b, a})) {
            final PlainPathRun plain = run(dir, "plain", true, args);
            final PlainPathRun picocli = run(dir, "picocli", false, args);

            assertThat(picocli.classes()).as("the check sees picocli's model being built").contains(MODEL_BUILDER);
            assertThat(plain.classes()).as("a plain count builds no picocli model").doesNotContain(MODEL_BUILDER);
            assertThat(withoutTime(plain.out())).contains("the").isEqualTo(withoutTime(picocli.out()));
            assertThat(plain.err()).isEqualTo(picocli.err());
            assertThat(plain.exitCode()).isZero().isEqualTo(picocli.exitCode());
        }
    }

    /** The output without its elapsed time and rate, which differ from run to run. */
    private static String withoutTime(final String output) {
        return output.replaceAll(" in [0-9.]+ s \\([0-9.]+ MB/s\\)", " in T").replaceAll("\"seconds\":[0-9.]+", "T");
    }

    /** Runs {@code Main} in a JVM of its own, the plain path on or off, with a log of the classes it loads. */
    private static PlainPathRun run(final Path dir, final String name, final boolean plainPath, final String... args)
        throws Exception {
        return PlainPathRun.run(dir, name, PlainWordCount.ENABLED_PROPERTY, plainPath, args);
    }
}
