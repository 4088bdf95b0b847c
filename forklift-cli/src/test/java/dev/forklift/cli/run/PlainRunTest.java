package dev.forklift.cli.run;

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
 * A plain {@code forklift run} in a real command-line JVM ({@link PlainRun}, with real worker JVMs): it builds no
 * picocli model of the command, and prints, writes and exits exactly as the same command line through picocli
 * ({@value PlainRun#ENABLED_PROPERTY}{@code =false}); so do command lines it reads but whose checks fail (they are
 * handed to picocli, which reports them).
 */
@ProcessDeadline(seconds = 180)
class PlainRunTest {
    /** The picocli class that builds a command's model from its annotations. */
    private static final String MODEL_BUILDER = "picocli.CommandLine$Model$CommandReflection ";
    /** The bootstrap of a record's equals, hashCode and toString. */
    private static final String RECORD_METHODS = "java.lang.runtime.ObjectMethods ";

    @Test
    void aPlainRunBuildsNoPicocliModelAndPrintsWhatPicocliPrints(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "alpha\nboom\ngamma\n");
        final String[] args = {"run", "--quiet", "--workers=2", "--task", ShoutTask.class.getName(), input.toString()};

        final PlainPathRun plain = run(dir, "plain", true, args);
        final PlainPathRun picocli = run(dir, "picocli", false, args);

        assertThat(picocli.classes()).as("the check sees picocli's model being built").contains(MODEL_BUILDER);
        assertThat(plain.classes()).as("a plain run builds no picocli model").doesNotContain(MODEL_BUILDER);
        assertThat(plain.classes()).as("no record's equals, hashCode or toString is linked on the way to the results "
            + "(method handles spun at run time)").doesNotContain(RECORD_METHODS);
        final String classes = plain.classes();
        assertThat(classes.indexOf("java.lang.ProcessImpl ")).as("the workers' JVMs are launched before the security "
            + "providers start (a SecureRandom)").isLessThan(classes.indexOf("java.security.SecureRandom "))
            .isPositive();
        assertThat(plain.out()).isEqualTo("ALPHA\n\nGAMMA\n").isEqualTo(picocli.out());
        assertThat(plain.err()).contains("boom!").isEqualTo(picocli.err());
        assertThat(plain.exitCode()).isEqualTo(1).isEqualTo(picocli.exitCode());
    }

    @Test
    void commandLinesWhoseChecksFailAreReportedExactlyAsPicocliReportsThem(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "alpha\n");
        final List<String[]> failing = List.of(
            new String[] {"run", "--quiet", "--workers", "0", "--task", ShoutTask.class.getName(), input.toString()},
            new String[] {"run", "--quiet", "--task", "no.such.Task", "--workers", "1", input.toString()},
            new String[] {"run", "--quiet", "--task", ShoutTask.class.getName(), "--workers", "1",
                dir.resolve("missing.txt").toString()});
        int index = 0;
        for (final String[] args : failing) {
            final PlainPathRun plain = run(dir, "plain" + index, true, args);
            final PlainPathRun picocli = run(dir, "picocli" + index++, false, args);

            assertThat(plain.exitCode()).as(plain.err()).isEqualTo(2).isEqualTo(picocli.exitCode());
            assertThat(plain.err()).startsWith("forklift run: ").isEqualTo(picocli.err());
            assertThat(plain.out()).isEmpty();
            assertThat(picocli.out()).isEmpty();
        }
    }

    /** Runs {@code Main} in a JVM of its own, the plain path on or off, with a log of the classes it loads. */
    private static PlainPathRun run(final Path dir, final String name, final boolean plainPath, final String... args)
        throws Exception {
        return PlainPathRun.run(dir, name, PlainRun.ENABLED_PROPERTY, plainPath, args);
    }
}
