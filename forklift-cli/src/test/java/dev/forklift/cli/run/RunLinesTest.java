package dev.forklift.cli.run;

import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, items 3, 8 and 9: how {@code forklift run} reads its lines (encoding, length, line ends) and reports a
 * line it cannot run, by file and line.
 */
@ProcessDeadline(seconds = 120)
class RunLinesTest {
    private static final String TASK = ShoutTask.class.getName();

    private static CommandRun run(final String... args) {
        return CommandRun.of(args);
    }

    @Test
    void anInputLargerThanAMessageIsRecordedAsFailedWithTheOptionToRaiseAndTheRunGoesOn(@TempDir final Path dir)
        throws Exception {
        final Path input = dir.resolve("in.txt");
        final Path failed = dir.resolve("failed.jsonl");
        Files.writeString(input, "one\n" + "x".repeat(2_000_000) + "\ntwo\n");

        final CommandRun run = run("run", "--task", TASK, "--workers", "1", "--failed", failed.toString(),
            input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).as(run.err()).isEqualTo("ONE\n\nTWO\n");
        assertThat(run.err()).contains("1 input(s) failed").contains(input + " line 2 \"xxx")
            .contains("line of 2000000 bytes is longer than --max-input-size (1048576 bytes); raise "
                + "--max-input-size").doesNotContain("longValue");
        final List<String> records = Files.readAllLines(failed);
        assertThat(records).hasSize(1);
        assertThat(Json.parseObject(records.get(0))).containsEntry("line", 2L).containsEntry("error", "InputTooLarge")
            .containsEntry("attempts", 0L);
        assertThat((String) Json.parseObject(records.get(0)).get("message")).contains("raise --max-input-size");

        // Raised, the same line runs.
        final CommandRun raised = run("run", "--task", TASK, "--workers", "1", "--max-input-size", "3m",
            input.toString());
        assertThat(raised.exitCode()).as(raised.err()).isZero();
        assertThat(raised.out()).as(raised.err()).isEqualTo("ONE\n" + "X".repeat(2_000_000) + "\nTWO\n");
    }

    @Test
    void aResultLargerThanAMessageNamesTheOptionToRaise(@TempDir final Path dir) throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "one\ngrow\ntwo\n");
        final Path failed = dir.resolve("failed.jsonl");

        final CommandRun run = run("run", "--task", TASK, "--workers", "1", "--max-input-size", "1k", "--failed",
            failed.toString(), input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).as(run.err()).isEqualTo("ONE\n\nTWO\n");
        assertThat(run.err()).contains(input + " line 2 \"grow\"").contains("raise --max-input-size")
            .doesNotContain("maxMessageBytes");
        assertThat((String) Json.parseObject(Files.readAllLines(failed).get(0)).get("message"))
            .contains("raise --max-input-size").doesNotContain("maxMessageBytes");
    }

    @Test
    void theFailureSummaryNamesTheFileAndItsLine(@TempDir final Path dir) throws Exception {
        final Path first = Files.writeString(dir.resolve("mixed1.txt"), "a\nb\nc\nd\ne\nf\n");
        final Path second = Files.writeString(dir.resolve("mixed2.txt"), "g\nboom\nh\n");

        final CommandRun run = run("run", "--task", TASK, "--workers", "2", first.toString(), second.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("  " + second + " line 2 \"boom\": java.lang.IllegalStateException: boom!")
            .doesNotContain("line 8");
    }

    @Test
    void malformedBytesFailTheirLineWithTheByteAndTheOptionAndAreNeverReplaced(@TempDir final Path dir)
        throws Exception {
        final Path input = dir.resolve("latin1.txt");
        final Path failed = dir.resolve("failed.jsonl");
        Files.write(input, bytes("ok\n", new byte[] {'c', 'a', 'f', (byte) 0xe9}, "\nfine\n"));

        final CommandRun run = run("run", "--task", TASK, "--workers", "1", "--failed", failed.toString(),
            input.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).as(run.err()).isEqualTo("OK\n\nFINE\n").doesNotContain("\uFFFD");
        assertThat(run.err()).contains("1 input(s) failed").contains(input + " line 2")
            .contains("byte 0xE9 at byte 4 of the line is not valid UTF-8; give the file's encoding with --encoding");
        final Map<String, Object> record = Json.parseObject(Files.readAllLines(failed).get(0));
        assertThat(record).containsEntry("line", 2L).containsEntry("error", "MalformedInput");

        // With its encoding named, the line runs; results are written in UTF-8.
        final CommandRun latin1 = run("run", "--task", TASK, "--workers", "1", "--encoding", "ISO-8859-1",
            input.toString());
        assertThat(latin1.exitCode()).as(latin1.err()).isZero();
        assertThat(latin1.out()).as(latin1.err()).isEqualTo("OK\nCAF\u00c9\nFINE\n");

        final CommandRun unknown = run("run", "--task", TASK, "--encoding", "klingon", input.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown --encoding 'klingon'");
        final CommandRun utf16 = run("run", "--task", TASK, "--encoding", "UTF-16", input.toString());
        assertThat(utf16.exitCode()).isEqualTo(2);
        assertThat(utf16.err()).contains("--encoding UTF-16 is not supported");
    }

    @Test
    void aLongLineOrABinaryFileFailsLineByLineWithinTheLimitAndTheOtherFilesRun(@TempDir final Path dir)
        throws Exception {
        final Path binary = dir.resolve("random.bin");
        final byte[] noise = new byte[300_000];
        new Random(11).nextBytes(noise);
        // Every line starts with 0xFF, never valid UTF-8, so that no line (not even an empty one) is valid by chance.
        noise[0] = (byte) 0xff;
        for (int i = 0; i + 1 < noise.length; i++) {
            if (noise[i] == '\n') {
                noise[i + 1] = (byte) 0xff;
            }
        }
        Files.write(binary, noise);
        final Path text = Files.writeString(dir.resolve("text.txt"), "after\n");
        final long binaryLines = countLines(noise);

        final CommandRun run = run("run", "--task", TASK, "--workers", "2", "--max-input-size", "1k",
            binary.toString(), text.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out().split("\n", -1)).hasSize((int) binaryLines + 2);
        assertThat(run.out()).endsWith("AFTER\n");
        assertThat(run.err()).contains(binaryLines + " input(s) failed").contains(binary + " line 1 ")
            .containsPattern("MalformedInput: bytes? 0x[0-9A-F]{2}");
        assertThat(run.err()).contains("... and " + (binaryLines - FailureSummary.MAX_LISTED) + " more");

        final Path longLine = Files.writeString(dir.resolve("long.txt"), "short\n" + "y".repeat(5000) + "\nend");
        final CommandRun tooLong = run("run", "--task", TASK, "--workers", "1", "--max-input-size", "1k",
            longLine.toString());
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.out()).as(tooLong.err()).isEqualTo("SHORT\n\nEND\n");
        assertThat(tooLong.err()).contains(longLine + " line 2").contains("line of 5000 bytes is longer than "
            + "--max-input-size (1024 bytes); raise --max-input-size");
    }

    @Test
    void aLoneCarriageReturnIsPartOfItsLineSoLineNumbersAreThoseOfWcAndGrep(@TempDir final Path dir)
        throws Exception {
        final Path input = dir.resolve("cr.txt");
        Files.write(input, "one\rtwo\nwindows\r\nboom\n\uFEFFnot a mark here\n".getBytes(StandardCharsets.UTF_8));
        final Path marked = dir.resolve("bom.txt");
        Files.write(marked, "\uFEFFfirst\n".getBytes(StandardCharsets.UTF_8));

        final CommandRun run = run("run", "--task", TASK, "--workers", "1", input.toString(), marked.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).as(run.err()).isEqualTo("ONE\rTWO\nWINDOWS\n\n\uFEFFNOT A MARK HERE\nFIRST\n");
        assertThat(run.err()).contains(input + " line 3 \"boom\"");
    }

    private static long countLines(final byte[] data) {
        long lines = 0;
        for (final byte b : data) {
            if (b == '\n') {
                lines++;
            }
        }
        return data.length > 0 && data[data.length - 1] != '\n' ? lines + 1 : lines;
    }

    private static byte[] bytes(final Object... parts) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Object part : parts) {
            out.write(part instanceof String ? ((String) part).getBytes(StandardCharsets.UTF_8) : (byte[]) part);
        }
        return out.toByteArray();
    }
}
