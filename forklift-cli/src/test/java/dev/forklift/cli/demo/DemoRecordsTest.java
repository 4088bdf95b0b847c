package dev.forklift.cli.demo;

import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** demo --sources makes one record of each line, also of a long one, up to a bound with a clear error beyond. */
@ProcessDeadline(seconds = 120)
class DemoRecordsTest {
    @Test
    void aLineLongerThan8192CharactersIsOneRecord(@TempDir final Path dir) throws Exception {
        Files.writeString(dir.resolve("long.txt"), "short\n" + "word ".repeat(20_000) + "\nlast\n");

        final CommandRun run = CommandRun.of("demo", "--no-table", "--sources", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^long\\.txt +3 +3 ").contains("lossless: 3 items from 1 source(s)");
    }

    @Test
    void aLineLongerThanARecordMayBeFailsWithAClearErrorNamingItsSourceAndLine(@TempDir final Path dir)
        throws Exception {
        Files.writeString(dir.resolve("ok.txt"), "fine\n");
        Files.writeString(dir.resolve("huge.txt"), "first\n" + "x".repeat(DemoProducer.MAX_RECORD_BYTES + 1) + "\n");

        final CommandRun run = CommandRun.of("demo", "--no-table", "--sources", dir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("forklift demo: source huge.txt, line 2: longer than a record may be "
            + "(524,288 bytes of UTF-8; the demo makes one record of each line)").doesNotContain("\tat ");
    }
}
