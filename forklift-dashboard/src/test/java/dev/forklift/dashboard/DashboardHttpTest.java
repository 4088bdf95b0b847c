package dev.forklift.dashboard;

import dev.forklift.pool.Pool;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint of a dashboard served from a running job (a pool of two worker JVMs in this JVM). */
@ProcessDeadline(seconds = 120)
class DashboardHttpTest {
    private static Pool pool;
    private static Dashboard dashboard;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startJob() throws Exception {
        pool = Pool.builder().workers(2).name("dash").build();
        final List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(pool.submit((Integer x) -> x + 1, i));
        }
        final CompletableFuture<Integer> failing = pool.submit((Integer x) -> {
            throw new IllegalStateException("cannot handle " + x);
        }, 42);
        for (final CompletableFuture<Integer> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        assertThat(failing).failsWithin(30, TimeUnit.SECONDS);
        dashboard = Dashboard.forThisJob().failedTasksOf(pool).samplePeriodMs(200).start();
        awaitTrue(() -> get("/api/snapshot").body().contains("\"completed\":50"), "the snapshot shows the job");
    }

    @AfterAll
    static void stopJob() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void theUrlBindsLoopbackWithARandomToken() {
        assertThat(dashboard.url()).startsWith("http://127.0.0.1:" + dashboard.port() + "/?token=");
        assertThat(dashboard.token()).hasSize(32).matches("[0-9a-f]+");
    }

    @Test
    void snapshotShowsTheJobItsProcessesQueuesAndFailures() throws Exception {
        final String body = get("/api/snapshot").body();
        assertThat(body).contains("\"mode\":\"job\"").contains("\"pools\":[\"dash\"]")
            .contains("\"failedCount\":1").contains("java.lang.IllegalStateException")
            .contains("\"name\":\"dash-results\"");
        for (final long pid : pool.workerPids()) {
            assertThat(body).contains("\"pid\":" + pid + ",");
        }
        assertThat(body).as("51 submitted here, one more by the actions test").containsPattern("\"submitted\":5[12],");
    }

    @Test
    void pageScriptAndChartLibraryAreServed() throws Exception {
        final HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<table id=\"processes\">");
        assertThat(page.headers().firstValue("Set-Cookie")).get().asString().contains("HttpOnly")
            .contains(dashboard.token());
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/static/app.js").body()).contains("EventSource");
        assertThat(get("/static/uPlot.js").body()).contains("uPlot");
        assertThat(get("/static/uPlot.css").statusCode()).isEqualTo(200);
        assertThat(get("/static/nothing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void failedTasksCarryTheWorkersStackTraceAndDownloadAsJsonLines() throws Exception {
        final String failed = get("/api/failed").body();
        assertThat(failed).contains("\"errorClass\":\"java.lang.IllegalStateException\"")
            .contains("cannot handle 42").contains("\"input\":\"42\"").contains("\"attempts\":1")
            .contains("DashboardHttpTest");
        final HttpResponse<String> lines = get("/api/failed.jsonl");
        assertThat(lines.headers().firstValue("Content-Disposition")).get().asString().contains("failed.jsonl");
        assertThat(lines.body().split("\n")).hasSize(1).allSatisfy(line -> assertThat(line).startsWith("{"));
    }

    @Test
    void historyAndMetricsAreServed() throws Exception {
        assertThat(get("/api/history").body()).startsWith("{\"t\":[").contains("\"completed\":[");
        // Another test of this class kills a worker through the page: wait for its replacement to be counted.
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        String metrics = get("/metrics").body();
        while (!metrics.contains("forklift_pool_workers{pool=\"dash\"} 2") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metrics = get("/metrics").body();
        }
        assertThat(metrics).contains("# TYPE forklift_pool_completed_total counter")
            .containsPattern("forklift_pool_completed_total\\{pool=\"dash\",outcome=\"success\"} 5[01]\n")
            .contains("forklift_pool_completed_total{pool=\"dash\",outcome=\"failed\"} 1")
            .contains("forklift_pool_workers{pool=\"dash\"} 2")
            .contains("forklift_queue_capacity{queue=\"dash-worker-tasks\"}")
            .doesNotContain(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void serverSentEventsArriveEverySample() throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/events?token=" + dashboard.token()))
            .build();
        final HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        final List<String> times = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
            StandardCharsets.UTF_8))) {
            String line;
            while (times.size() < 3 && (line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    assertThat(line).contains("\"jobs\":[");
                    times.add(line.substring(line.indexOf("\"time\":"), line.indexOf(",\"mode\"")));
                }
            }
        }
        assertThat(times).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void severalOpenViewersLeaveThreadsForOtherRequests() throws Exception {
        final List<CompletableFuture<HttpResponse<InputStream>>> viewers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            viewers.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/events?token="
                + dashboard.token())).build(), HttpResponse.BodyHandlers.ofInputStream()));
        }
        try {
            for (final CompletableFuture<HttpResponse<InputStream>> viewer : viewers) {
                assertThat(viewer.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            final HttpResponse<String> snapshot = CLIENT.send(HttpRequest.newBuilder(URI.create(base()
                + "/api/snapshot?token=" + dashboard.token())).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(snapshot.statusCode()).isEqualTo(200);
        } finally {
            for (final CompletableFuture<HttpResponse<InputStream>> viewer : viewers) {
                viewer.thenAccept(response -> {
                    try {
                        response.body().close();
                    } catch (final java.io.IOException ex) {
                        // closed already
                    }
                });
            }
        }
    }

    @Test
    void requestsWithoutTheTokenOrFromElsewhereAreRefused() throws Exception {
        final int port = dashboard.port();
        final String token = dashboard.token();
        assertThat(RawHttp.request(port, "GET", "/api/snapshot", Map.of()).status()).isEqualTo(401);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot?token=" + "0".repeat(32), Map.of()).status())
            .isEqualTo(401);
        assertThat(RawHttp.request(port, "GET", "/", Map.of()).status()).isEqualTo(401);
        assertThat(RawHttp.request(port, "GET", "/events", Map.of()).status()).isEqualTo(401);
        assertThat(RawHttp.request(port, "GET", "/metrics", Map.of()).status()).isEqualTo(401);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot?token=" + token,
            Map.of("Host", "evil.example:" + port)).status()).as("DNS rebinding").isEqualTo(421);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot?token=" + token,
            Map.of("Origin", "http://evil.example")).status()).as("cross-site").isEqualTo(403);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot?token=" + token,
            Map.of("Origin", "http://127.0.0.1:" + port)).status()).isEqualTo(200);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot", Map.of("X-Forklift-Token", token)).status())
            .isEqualTo(200);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot", Map.of("Cookie", "forklift_token=" + token))
            .status()).isEqualTo(200);
        assertThat(RawHttp.request(port, "GET", "/api/snapshot", Map.of("Host", "localhost:" + port,
            "X-Forklift-Token", token)).status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyDashboardRefusesEveryAction() throws Exception {
        final int port = dashboard.port();
        final String token = "?token=" + dashboard.token();
        final long worker = pool.workerPids().get(0);
        for (final String action : List.of("kill?pid=" + worker, "recycle?pid=" + worker, "thread-dump?pid=" + worker,
            "flight-recording?pid=" + worker, "retry-failed?confirm=yes")) {
            final String target = "/api/actions/" + action.replace("?", token + "&");
            assertThat(RawHttp.request(port, "POST", target, Map.of()).status()).as(action).isEqualTo(403);
        }
        assertThat(pool.workerPids()).contains(worker);
    }

    @Test
    void actionsWhenAllowedTargetOnlyWorkersOfTheJob() throws Exception {
        try (Dashboard acting = Dashboard.forThisJob().allowActions(true).failedTasksOf(pool)
            .retryFailed(() -> "retried 1").start()) {
            final int port = acting.port();
            final String token = "token=" + acting.token();
            final long worker = pool.workerPids().get(0);
            assertThat(RawHttp.request(port, "GET", "/api/actions/kill?" + token + "&pid=" + worker, Map.of())
                .status()).as("actions need POST").isEqualTo(405);
            assertThat(RawHttp.request(port, "POST", "/api/actions/kill?" + token + "&pid="
                + ProcessHandle.current().pid(), Map.of()).status()).as("never the job itself").isEqualTo(400);
            assertThat(RawHttp.request(port, "POST", "/api/actions/kill?" + token + "&pid=1", Map.of()).status())
                .isEqualTo(400);
            assertThat(RawHttp.request(port, "POST", "/api/actions/retry-failed?" + token, Map.of()).status())
                .as("retry needs the confirmation").isEqualTo(400);
            final RawHttp.Response retried = RawHttp.request(port, "POST",
                "/api/actions/retry-failed?" + token + "&confirm=yes", Map.of());
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.text()).endsWith("retried 1");
            final RawHttp.Response dump = RawHttp.request(port, "POST",
                "/api/actions/thread-dump?" + token + "&pid=" + worker, Map.of());
            assertThat(dump.status()).isEqualTo(200);
            assertThat(dump.text()).contains("Full thread dump");
            assertThat(RawHttp.request(port, "POST", "/api/actions/kill?" + token + "&pid=" + worker, Map.of())
                .status()).isEqualTo(200);
            awaitTrue(() -> !pool.workerPids().contains(worker) && pool.workerPids().size() == 2,
                "the pool replaced the killed worker");
            assertThat(pool.submit((Integer x) -> x * 3, 3).get(30, TimeUnit.SECONDS)).isEqualTo(9);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + dashboard.port();
    }

    private static HttpResponse<String> get(final String path) {
        try {
            final String sep = path.contains("?") ? "&" : "?";
            return CLIENT.send(HttpRequest.newBuilder(URI.create(base() + path + sep + "token=" + dashboard.token()))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
