package dev.forklift.cli.dashboard;

import dev.forklift.cli.Main;
import dev.forklift.cli.run.NapTask;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code forklift run --dashboard}: the job serves its own page while it runs, and the help lists the options. */
@ProcessDeadline(seconds = 120)
class JobDashboardOptionTest {
    private static final Pattern URL = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]+)");

    @Test
    void aRunWithDashboardServesItsPoolWhileItRuns(@TempDir final Path dir) throws Exception {
        final Path input = dir.resolve("lines.txt");
        Files.writeString(input, IntStream.range(0, 1500).mapToObj(i -> "line " + i)
            .collect(Collectors.joining("\n", "", "\n")));
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> commandLine.execute("run",
            "--task", NapTask.class.getName(), "--workers", "1", "--quiet", "--dashboard",
            "--output", dir.resolve("out.txt").toString(), input.toString()));
        String url = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (url == null && System.nanoTime() < deadline && !run.isDone()) {
            final Matcher matcher = URL.matcher(err.toString());
            url = matcher.find() ? matcher.group(1) : null;
            Thread.sleep(20);
        }
        assertThat(url).as("printed URL; stderr: %s", err).isNotNull();
        final String api = url.replace("/?token=", "/api/snapshot?token=");
        final HttpClient client = HttpClient.newHttpClient();
        String snapshot = "";
        while (System.nanoTime() < deadline && !snapshot.contains("\"pools\":[\"run\"]")) {
            snapshot = client.send(HttpRequest.newBuilder(URI.create(api)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(100);
        }
        assertThat(snapshot).contains("\"mode\":\"job\"").contains("\"pools\":[\"run\"]")
            .contains("\"role\":\"pool-worker\"").contains("\"actionsAllowed\":false");
        assertThat(run.get(90, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out.txt"))).hasSize(1500);
    }

    @Test
    void aFileAfterDashboardStaysAnInputAndABadPortIsNamed() {
        final CommandLine.ParseResult parsed = Main.newCommandLine().parseArgs("run", "--task", "T", "--dashboard",
            "input.txt");
        final CommandLine.ParseResult run = parsed.subcommand();
        assertThat(port(run)).isZero();
        assertThat(run.matchedPositionalValue(0, java.util.List.<String>of())).containsExactly("input.txt");
        final CommandLine.ParseResult withPort = Main.newCommandLine().parseArgs("run", "--task", "T",
            "--dashboard", "8123", "input.txt").subcommand();
        assertThat(port(withPort)).isEqualTo(8123);
        final CommandLine.ParseResult attached = Main.newCommandLine().parseArgs("run", "--task", "T",
            "--dashboard=8124", "input.txt").subcommand();
        assertThat(port(attached)).isEqualTo(8124);
        assertThat(dev.forklift.cli.CommandRun.of("run", "--task", "T", "--dashboard", "70000", "x.txt").err())
            .contains("--dashboard 70000: the port must be in 0..65535");
    }

    private static Integer port(final CommandLine.ParseResult command) {
        return command.commandSpec().findOption("--dashboard").getValue();
    }

    @Test
    void theJobCommandsAndTheDashboardCommandListTheOptions() {
        for (final String command : new String[] {"run", "wordcount", "demo", "chaos"}) {
            final String help = Main.newCommandLine().getSubcommands().get(command)
                .getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help).as(command).contains("--dashboard[=PORT]").contains("--allow-actions");
        }
        final String help = Main.newCommandLine().getSubcommands().get("dashboard")
            .getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help).contains("--port=P").contains("--allow-actions").contains("127.0.0.1");
    }
}
