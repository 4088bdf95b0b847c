package dev.forklift.cli.cluster;

import dev.forklift.cli.CommandRun;
import dev.forklift.cli.Main;
import dev.forklift.cli.run.NapTask;
import dev.forklift.cli.run.ShoutTask;
import dev.forklift.cluster.LocalCluster;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import picocli.CommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code forklift run --broker}, {@code forklift ps --broker} and the dashboard's cluster view
 * ({@code forklift dashboard --broker}, {@code run --broker --dashboard}) against a real broker and worker host.
 */
@ProcessDeadline(seconds = 240)
class ClusterCommandsTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(dir, List.of("-Xmx128m"));
        cluster.startBroker();
        cluster.startHosts(List.of("cli-host"), 1, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runOverTheBrokerWritesEveryLineOnceInOrder() throws Exception {
        final Path input = Files.writeString(dir.resolve("in.txt"), "alpha\nbeta\ngamma\n");
        final Path output = dir.resolve("out.txt");
        final CommandRun run = CommandRun.of("run", "--broker", cluster.url(), "--task", ShoutTask.class.getName(),
            "--quiet", "--output", output.toString(), input.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(output)).containsExactly("ALPHA", "BETA", "GAMMA");
    }

    @Test
    void psOverTheBrokerListsTheHostItsWorkerAndTheTaskQueue() {
        final CommandRun run = CommandRun.of("ps", "--broker", cluster.url());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("WORKER HOSTS (1)").contains("cli-host").contains("forklift.tasks");
    }

    /**
     * A real CLI process talking to the broker prints nothing of SLF4J's own (without a binding, SLF4J printed three
     * lines at its first use and dropped every record of Artemis, its warnings and errors included).
     */
    @Test
    void aCommandOverTheBrokerPrintsNoLoggingBackEndNoise() throws Exception {
        final Process ps = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "ps", "--broker",
            cluster.url()).start();
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(ps.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (final java.io.IOException ex) {
                return ex.toString();
            }
        });
        final String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ps.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ps.exitValue()).as(out + err.get()).isZero();
        assertThat(out).contains("WORKER HOSTS");
        assertThat(err.get()).doesNotContain("SLF4J");
    }

    /**
     * A local cluster's broker (its own JVM, with the binding on its class path) prints no INFO records of Artemis:
     * its audit logger wrote a line for every message sent and acknowledged when INFO was on.
     */
    @Test
    void aBrokerProcessPrintsNoInfoRecordsOfArtemis(@TempDir final Path data) throws Exception {
        final int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        final Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), dev.forklift.cluster.BrokerMain.class.getName(),
            "--port", Integer.toString(port), "--data", data.toString(), "--insecure").start();
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(broker.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (final java.io.IOException ex) {
                return ex.toString();
            }
        });
        try {
            final BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the broker's first line").startsWith("broker ready");
            final CommandRun ps = CommandRun.of("ps", "--broker", "tcp://127.0.0.1:" + port);
            assertThat(ps.exitCode()).as(ps.err()).isZero();
        } finally {
            broker.destroy();
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(err.get(30, TimeUnit.SECONDS)).doesNotContain("INFO: AMQ").doesNotContain("SLF4J");
    }

    /** Artemis's records (SLF4J) reach java.util.logging, where the commands print WARNING and above. */
    @Test
    void theBrokersLogRecordsReachJavaUtilLogging() {
        final java.util.logging.Logger artemis = java.util.logging.Logger.getLogger("org.apache.activemq");
        final List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(final java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        artemis.addHandler(handler);
        try {
            org.slf4j.LoggerFactory.getLogger("org.apache.activemq.forklift.probe").warn("a warning of the broker");
        } finally {
            artemis.removeHandler(handler);
        }
        assertThat(records).extracting(java.util.logging.LogRecord::getMessage)
            .contains("a warning of the broker");
    }

    /**
     * {@code forklift dashboard --broker URL}, a real CLI process: the broker's worker hosts and queues reach
     * {@code /api/snapshot}, the SSE stream and {@code /metrics}; the broker's credentials never reach the page.
     */
    @Test
    void dashboardOverTheBrokerShowsTheHostsAndQueuesInTheSnapshotTheEventsAndTheMetrics() throws Exception {
        final Process dashboard = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "dashboard",
            "--broker", cluster.url()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            final BufferedReader out = new BufferedReader(new InputStreamReader(dashboard.getInputStream(),
                StandardCharsets.UTF_8));
            final String line = out.readLine();
            assertThat(line).as("the printed URL").isNotNull().startsWith("dashboard: http://127.0.0.1:");
            final String url = line.substring("dashboard: ".length());
            final HttpClient client = HttpClient.newHttpClient();
            final AtomicReference<String> snapshot = new AtomicReference<>("");
            Await.until(Duration.ofSeconds(60), () -> {
                snapshot.set(get(client, url.replace("/?token=", "/api/snapshot?token=")));
                return snapshot.get().contains("\"name\":\"cli-host\"");
            }, () -> "the host in the snapshot: " + snapshot.get());
            final String clusterPart = snapshot.get().substring(snapshot.get().indexOf("\"cluster\":"));
            assertThat(clusterPart).startsWith("\"cluster\":{\"name\":\"tcp://127.0.0.1:")
                .contains("\"workers\":1,\"workerPids\":[").contains("\"statusAgeMs\":")
                .contains("{\"name\":\"forklift.tasks\",\"messages\":").doesNotContain("credentials");

            final HttpResponse<java.io.InputStream> events = client.send(HttpRequest.newBuilder(
                URI.create(url.replace("/?token=", "/events?token="))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader stream = new BufferedReader(new InputStreamReader(events.body(),
                StandardCharsets.UTF_8))) {
                int snapshotsWithTheHost = 0;
                for (String event = stream.readLine(); event != null && snapshotsWithTheHost < 2;
                     event = stream.readLine()) {
                    if (event.startsWith("data: ") && event.contains("\"name\":\"cli-host\"")) {
                        snapshotsWithTheHost++;
                    }
                }
                assertThat(snapshotsWithTheHost).as("SSE snapshots with the host").isEqualTo(2);
            }

            final String metrics = get(client, url.replace("/?token=", "/metrics?token="));
            assertThat(metrics).contains("forklift_cluster_hosts 1\n")
                .contains("forklift_cluster_host_workers{host=\"cli-host\"} 1\n")
                .contains("forklift_cluster_host_tasks_done_total{host=\"cli-host\"} ")
                .containsPattern("forklift_cluster_queue_consumers\\{queue=\"forklift.tasks\"} [1-9]");
        } finally {
            dashboard.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@code run --broker URL --dashboard}: the job's own page shows the cluster it runs on, while it runs. */
    @Test
    void aRunOverTheBrokerWithDashboardShowsTheClusterItRunsOn() throws Exception {
        final Path input = Files.writeString(dir.resolve("many.txt"), IntStream.range(0, 3000)
            .mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> commandLine.execute("run",
            "--broker", cluster.url(), "--task", NapTask.class.getName(), "--quiet", "--dashboard", "--output",
            dir.resolve("many.out").toString(), input.toString()));
        final Pattern printed = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]+)");
        final AtomicReference<String> url = new AtomicReference<>();
        Await.until(Duration.ofSeconds(60), () -> {
            final Matcher matcher = printed.matcher(err.toString());
            url.set(matcher.find() ? matcher.group(1) : null);
            return url.get() != null || run.isDone();
        }, () -> "the printed URL: " + err);
        assertThat(url.get()).as(err.toString()).isNotNull();
        final HttpClient client = HttpClient.newHttpClient();
        final AtomicReference<String> snapshot = new AtomicReference<>("");
        Await.until(Duration.ofSeconds(60), () -> {
            snapshot.set(get(client, url.get().replace("/?token=", "/api/snapshot?token=")));
            return snapshot.get().matches(".*\"name\":\"cli-host\".*\"tasksHeld\":[1-9].*") || run.isDone();
        }, () -> "the host holding tasks in the snapshot: " + snapshot.get());
        assertThat(snapshot.get()).contains("\"mode\":\"job\"").contains("\"cluster\":{")
            .matches(".*\"name\":\"cli-host\".*\"tasksHeld\":[1-9].*");
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
    }

    private static String get(final HttpClient client, final String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        } catch (final java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Long: behind -Dforklift.cluster.chaos=true (as .ci/run may pass). */
    @Test
    @EnabledIfSystemProperty(named = "forklift.cluster.chaos", matches = "true")
    void chaosOverTheClusterLosesAndDuplicatesNothing() {
        final CommandRun run = CommandRun.of("chaos", "--cluster", "--minutes", "0.5", "--quiet");
        assertThat(run.out()).as(run.err()).contains("result:    OK (lost 0, duplicates 0)");
        assertThat(run.exitCode()).isZero();
    }
}
