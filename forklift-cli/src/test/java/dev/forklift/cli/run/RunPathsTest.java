package dev.forklift.cli.run;

import dev.forklift.cli.ChildWatch;
import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11, items 1 and 5: {@code forklift run} never writes over its inputs, and answers bad paths at once. */
@ProcessDeadline(seconds = 120)
class RunPathsTest {
    private static final String TASK = ShoutTask.class.getName();
    private static final String CONTENT = "alpha\nbeta\n";

    private static ChildWatch run(final String... args) {
        final List<String> all = new ArrayList<>(List.of("run", "--task", TASK, "--workers", "1"));
        all.addAll(List.of(args));
        return ChildWatch.during(() -> CommandRun.of(all.toArray(new String[0])));
    }

    /** Exit 2 with one line naming both paths, before any worker; the input untouched. */
    private static void assertRefused(final ChildWatch watch, final Path input, final String... named)
        throws Exception {
        final CommandRun run = watch.run();
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("forklift run: ").contains(named);
        assertThat(watch.childrenSeenAt()).as("worker JVMs started").isZero();
        assertThat(Files.readString(input)).isEqualTo(CONTENT);
    }

    @Test
    void anOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), CONTENT);
        final String in = input.toString();

        assertRefused(run("--output", in, in), input, "--output '" + in + "'", "input '" + in + "'",
            "same file");
        assertRefused(run("--failed", in, in), input, "--failed '" + in + "'", "input '" + in + "'");

        // ./in.txt from the working directory against the absolute path.
        final Path relative = Path.of("").toAbsolutePath().relativize(input);
        final String dotted = "./" + relative;
        assertRefused(run("--output", dotted, in), input, "--output '" + dotted + "'", "input '" + in + "'");

        // A symbolic link to the input, and a hard link.
        final Path link = Files.createSymbolicLink(dir.resolve("link.txt"), input);
        assertRefused(run("--output", link.toString(), in), input, "--output '" + link + "'");
        final Path hard = Files.createLink(dir.resolve("hard.txt"), input);
        assertRefused(run("--failed", hard.toString(), in), input, "--failed '" + hard + "'");

        // --output over the --retry-failed file it reads.
        final Path failed = Files.writeString(dir.resolve("g.jsonl"), CONTENT);
        final ChildWatch retry = run("--output", failed.toString(), "--retry-failed", failed.toString());
        assertThat(retry.run().exitCode()).as(retry.run().err()).isEqualTo(2);
        assertThat(retry.run().err()).contains("--output '" + failed + "'").contains("--retry-failed file");
        assertThat(Files.readString(failed)).isEqualTo(CONTENT);

        // Two outputs that are one file (one of them not there yet).
        final Path out = dir.resolve("out.txt");
        final ChildWatch twice = run("--output", out.toString(), "--failed", dir.resolve(".") + "/out.txt", in);
        assertThat(twice.run().exitCode()).isEqualTo(2);
        assertThat(twice.run().err()).contains("--output '" + out + "'").contains("are the same file");
        assertThat(out).doesNotExist();
    }

    @Test
    void badPathsGetOneLineAndExitTwoBeforeAnyWorkerStarts(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), CONTENT);
        final String missing = dir.resolve("x.txt").toString();
        assertRefused(run(missing), input, "forklift run: cannot read input '" + missing + "': no such file");
        assertRefused(run(input.toString(), dir.toString()), input,
            "cannot read input '" + dir + "': is a directory");
        final String nowhere = dir.resolve("no/such/dir/out.txt").toString();
        assertRefused(run("--output", nowhere, input.toString()), input,
            "cannot write --output '" + nowhere + "': no such directory '" + dir.resolve("no/such/dir") + "'");
        assertRefused(run("--failed", dir.toString(), input.toString()), input,
            "cannot write --failed '" + dir + "': is a directory");
        assertRefused(run("--retry-failed", missing), input,
            "cannot read --retry-failed file '" + missing + "': no such file");
    }
}
