package dev.forklift.cli.run;

import dev.forklift.cli.CommandRun;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ProcessDeadline(seconds = 90)
class RunCommandTest {
    static CommandRun run(final String... args) {
        return CommandRun.of(args);
    }

    @Test
    void inOrderAFailedInputLeavesAnEmptyLineAndIsListedOnStandardError(@TempDir final Path dir) throws Exception {
        final Path first = dir.resolve("first.txt");
        final Path second = dir.resolve("second.txt");
        Files.writeString(first, "alpha\nboom\nslow\n");
        Files.writeString(second, "gamma\n");
        final CommandRun run = run("run", "--task", ShoutTask.class.getName(), "--workers", "2", "--timeout", "1500ms",
            "--retries", "0", first.toString(), second.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("ALPHA\n\n\nGAMMA\n");
        assertThat(run.err()).contains("2 input(s) failed")
            .contains("line 2 \"boom\": java.lang.IllegalStateException: boom!")
            .containsPattern("line 3 \"slow\": TaskTimeoutException: .*1500 ms");
    }

    @Test
    void unorderedFromStandardInputToAnOutputFile(@TempDir final Path dir) throws Exception {
        final Path output = dir.resolve("out.txt");
        final InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8)));
        final CommandRun run;
        try {
            run = run("run", "--task", ShoutTask.class.getName(), "--workers", "1", "--unordered",
                "--classpath", Path.of(ShoutTask.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString(), "--output", output.toString(), "-");
        } finally {
            System.setIn(stdin);
        }
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(Files.readAllLines(output)).containsExactlyInAnyOrder("ONE", "TWO", "THREE");
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheBadValue(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("in.txt");
        Files.writeString(input, "x\n");
        final String task = ShoutTask.class.getName();
        assertThat(run("run", "--task", task, "--timeout", "5 parsecs", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("invalid duration '5 parsecs'"));
        assertThat(run("run", "--task", "no.such.Task", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("task class 'no.such.Task' not found"));
        assertThat(run("run", "--task", String.class.getName(), input.toString()))
            .satisfies(r -> assertThat(r.err()).contains("must be a public concrete class"));
        assertThat(run("run", "--task", task, "--workers", "0", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("--workers 0: at least 1"));
        assertThat(run("run", "--task", task, dir.resolve("missing.txt").toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2));
        assertThat(run("run", "--task", task).exitCode()).isEqualTo(2);
        assertThat(run("run", "--task", task, "--heartbeat-timeout", "500ms", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("--heartbeat-timeout 500ms: at least 1s"));
        assertThat(run("run", "--task", task, "--max-rss", "1m", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("--max-rss 1m: at least 32m"));
        assertThat(run("run", "--task", task, "--max-rss", "lots", input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("invalid size 'lots'"));
    }

    @Test
    void heartbeatAndMemoryOptionsReachThePool(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("in.txt");
        Files.writeString(input, "a\nb\nc\n");
        final CommandRun run = run("run", "--task", ShoutTask.class.getName(), "--workers", "1",
            "--heartbeat-timeout", "20s", "--max-rss", "2g", input.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("A\nB\nC\n");
        assertThat(Sizes.parse("512m")).isEqualTo(512L << 20);
        assertThat(Sizes.parse("2G")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> Sizes.parse("0k")).hasMessageContaining("'0k'");
    }

    @Test
    void failedInputsAreWrittenAsJsonLinesAndRetriedExactlyWithRetryFailed(@TempDir final Path dir) throws Exception {
        final Path first = dir.resolve("first.txt");
        final Path second = dir.resolve("second.txt");
        final Path failed = dir.resolve("failed.jsonl");
        Files.writeString(first, "alpha\nboom\nbeta\n");
        Files.writeString(second, "gamma\nboom\nsay \"hi\"\\there\n");
        final String task = ShoutTask.class.getName();
        final CommandRun run = run("run", "--task", task, "--workers", "2", "--retries", "1", "--failed",
            failed.toString(), first.toString(), second.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("ALPHA\n\nBETA\nGAMMA\n\nSAY \"HI\"\\THERE\n");
        final List<String> lines = Files.readAllLines(failed);
        assertThat(lines).hasSize(2);
        final Map<String, Object> one = Json.parseObject(lines.get(0));
        assertThat(one).containsEntry("file", first.toString()).containsEntry("line", 2L)
            .containsEntry("input", "boom").containsEntry("error", "java.lang.IllegalStateException")
            .containsEntry("message", "boom!").containsEntry("attempts", 1L).containsEntry("exitCode", null)
            .containsKeys("pid", "firstAttemptAt", "lastAttemptAt", "failedAt", "signal");
        assertThat((Long) one.get("pid")).isPositive();
        assertThat(Instant.parse((String) one.get("lastAttemptAt")))
            .isAfterOrEqualTo(Instant.parse((String) one.get("firstAttemptAt")));
        assertThat((String) one.get("stackTrace")).contains("ShoutTask.apply");
        assertThat(Json.parseObject(lines.get(1))).containsEntry("file", second.toString())
            .containsEntry("line", 2L).containsEntry("input", "boom");

        // Retried: exactly the failed inputs, with the same task options; they fail again against their lines.
        final Path again = dir.resolve("again.jsonl");
        final CommandRun retry = run("run", "--task", task, "--workers", "1", "--retries", "0", "--retry-failed",
            failed.toString(), "--failed", again.toString());
        assertThat(retry.exitCode()).as(retry.err()).isEqualTo(1);
        assertThat(retry.out()).isEqualTo("\n\n");
        assertThat(retry.err()).contains("2 input(s) failed").contains("line 2 \"boom\"");
        assertThat(Files.readAllLines(again)).hasSize(2).allSatisfy(line -> assertThat(Json.parseObject(line))
            .containsEntry("input", "boom").containsEntry("line", 2L).containsEntry("attempts", 1L));
    }

    @Test
    void aCrashedInputIsWrittenWithItsWorkersExitCodeAndAttempts(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("in.txt");
        final Path failed = dir.resolve("failed.jsonl");
        Files.writeString(input, "one\ndie\ntwo\n");
        final CommandRun run = run("run", "--task", ShoutTask.class.getName(), "--workers", "1", "--retries", "1",
            "--failed", failed.toString(), input.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("ONE\n\nTWO\n");
        final List<String> lines = Files.readAllLines(failed);
        assertThat(lines).hasSize(1);
        final Map<String, Object> record = Json.parseObject(lines.get(0));
        assertThat(record).containsEntry("line", 2L).containsEntry("input", "die")
            .containsEntry("error", "dev.forklift.pool.WorkerCrashedException").containsEntry("attempts", 2L)
            .containsEntry("exitCode", 7L).containsEntry("signal", null);
        assertThat((Long) record.get("pid")).isPositive();
        assertThat((String) record.get("message")).contains("exited with code 7");
    }

    @Test
    void retryFailedRunsTheListedInputsAndSucceedsWhenTheyDo(@TempDir final Path dir) throws Exception {
        final Path failed = dir.resolve("failed.jsonl");
        Files.writeString(failed, "{\"file\":\"in.txt\",\"line\":4,\"input\":\"tab\\there \\\"q\\\" \\u00e9\"}\n\n"
            + "{\"file\":\"in.txt\",\"line\":9,\"input\":\"two\",\"attempts\":3,\"pid\":null}\n");
        final CommandRun run = run("run", "--task", ShoutTask.class.getName(), "--workers", "1", "--retry-failed",
            failed.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("TAB\tHERE \"Q\" \u00c9\nTWO\n");
    }

    @Test
    void retryFailedMisuseIsAUsageError(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("in.txt");
        Files.writeString(input, "x\n");
        final Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"input\":\"fine\"}\nnot json\n");
        final String task = ShoutTask.class.getName();
        assertThat(run("run", "--task", task, "--retry-failed", bad.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains(bad + " line 2 is not a JSON object"));
        assertThat(run("run", "--task", task, "--retry-failed", bad.toString(), input.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("not both"));
        assertThat(run("run", "--task", task, "--retry-failed", dir.resolve("missing.jsonl").toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("missing.jsonl"));
        assertThat(run("run", "--task", task, "--retry-failed", bad.toString(), "--failed", bad.toString()))
            .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
            .satisfies(r -> assertThat(r.err()).contains("--failed '" + bad + "' is the same file as --retry-failed "
                + "file '" + bad + "'"));
    }

    @Test
    void jsonLinesRoundTrip() {
        final Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("s", "a\"b\\c\nd\te\u0001");
        fields.put("n", 42L);
        fields.put("z", null);
        assertThat(Json.parseObject(Json.object(fields))).isEqualTo(fields);
        assertThatThrownBy(() -> Json.parseObject("{\"a\":1} x")).hasMessageContaining("text after the object");
    }

    @Test
    void durationsReadLikeTheDocsSay() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(List.of("1h")).allSatisfy(text -> assertThat(Durations.parse(text)).isEqualTo(Duration.ofHours(1)));
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("'0s'");
        assertThatThrownBy(() -> Durations.parse("-3s")).hasMessageContaining("'-3s'");
    }
}
