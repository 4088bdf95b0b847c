package dev.forklift.cli.run;

import dev.forklift.cli.Main;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: the dashboard's "retry all failed" of a real {@code forklift run --dashboard --allow-actions} process
 * runs the inputs that failed again, in the same run: their results are written (in input order, after every
 * input's line), and a run whose every input succeeded in the end exits 0 with no failure listed.
 */
@ProcessDeadline(seconds = 180)
class RunDashboardRetryTest {
    private static final int INPUTS = 2000;
    private static final Pattern URL = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+)/\\?token=([0-9a-f]+)");

    @Test
    void retryAllFailedFromThePageRunsTheFailedInputsAgainAndTheRunSucceeds(@TempDir final Path dir) throws Exception {
        final Path ready = dir.resolve("ready");
        final List<String> lines = new ArrayList<>();
        for (int i = 1; i <= INPUTS; i++) {
            lines.add(i == 5 || i == 9 ? "flaky " + i + " " + ready : "item " + i);
        }
        final Path input = Files.write(dir.resolve("in.txt"), lines);
        final Path output = dir.resolve("out.txt");
        final Path err = dir.resolve("err.txt");
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--task",
            FlakyTask.class.getName(), "--workers", "1", "--retries", "0", "--quiet", "--dashboard", "--allow-actions",
            "--output", output.toString(), input.toString());
        final Process run = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile()).start();
        try {
            final AtomicReference<Matcher> url = new AtomicReference<>();
            Await.until(Duration.ofSeconds(60), () -> {
                final Matcher matcher = URL.matcher(read(err));
                url.set(matcher.find() ? matcher : null);
                return url.get() != null || !run.isAlive();
            }, () -> "the printed URL: " + read(err));
            assertThat(url.get()).as(read(err)).isNotNull();
            final String base = url.get().group(1);
            final String token = url.get().group(2);
            final HttpClient client = HttpClient.newHttpClient();
            final AtomicReference<String> snapshot = new AtomicReference<>("");
            Await.until(Duration.ofSeconds(60), () -> {
                snapshot.set(send(client, "GET", base + "/api/snapshot?token=" + token).body());
                return snapshot.get().contains("\"failedCount\":2") || !run.isAlive();
            }, () -> "two failures in the snapshot: " + snapshot.get());
            assertThat(run.isAlive()).as("the run goes on: " + read(err)).isTrue();

            Files.writeString(ready, "now");
            final HttpResponse<String> unconfirmed = send(client, "POST",
                base + "/api/actions/retry-failed?token=" + token);
            assertThat(unconfirmed.statusCode()).isEqualTo(400);
            final HttpResponse<String> retry = send(client, "POST",
                base + "/api/actions/retry-failed?token=" + token + "&confirm=yes");
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(retry.body()).isEqualTo("retrying 2 failed input(s)");

            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the run ends").isTrue();
            assertThat(run.exitValue()).as(read(err)).isZero();
            assertThat(read(err)).doesNotContain("failed:");
            final List<String> written = Files.readAllLines(output);
            assertThat(written).hasSize(INPUTS + 2);
            for (int i = 1; i <= INPUTS; i++) {
                assertThat(written.get(i - 1)).isEqualTo(i == 5 || i == 9 ? "" : "ITEM " + i);
            }
            assertThat(written.subList(INPUTS, INPUTS + 2)).containsExactlyInAnyOrder("FIXED 5", "FIXED 9");
        } finally {
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> send(final HttpClient client, final String method, final String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).method(method,
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String read(final Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (final IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
