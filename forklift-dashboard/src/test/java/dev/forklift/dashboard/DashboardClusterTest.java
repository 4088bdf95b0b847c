package dev.forklift.dashboard;

import dev.forklift.testing.Await;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster view's contract with its {@link ClusterSource}, over HTTP: a source that cannot be read puts its
 * error on the page and no cluster gauge in {@code /metrics}; once it reads, the snapshot and the metrics carry its
 * hosts and queues, and a later failure keeps the last good read beside the error. (A real broker and hosts:
 * {@code ClusterCommandsTest} of the CLI.)
 */
class DashboardClusterTest {
    @Test
    void anUnreadableClusterIsSaidOnThePageAndTheLastGoodReadStays() throws Exception {
        final AtomicBoolean up = new AtomicBoolean(false);
        final ClusterSource source = new ClusterSource() {
            @Override
            public String name() {
                return "tcp://broker.example:61616";
            }

            @Override
            public ClusterView read() {
                if (!up.get()) {
                    throw new IllegalStateException("connection refused");
                }
                return new ClusterView(List.of(new ClusterView.Host("h1", 11, 3, List.of(21L, 22L, 23L), 500, 2, 40)),
                    List.of(new ClusterView.BrokerQueue("forklift.tasks", 9, 1)));
            }
        };
        try (Dashboard dashboard = Dashboard.forThisJob().cluster(source).samplePeriodMs(100).start()) {
            final HttpClient client = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + dashboard.port();
            final String token = "?token=" + dashboard.token();
            final AtomicReference<String> snapshot = new AtomicReference<>("");
            Await.until(Duration.ofSeconds(30), () -> {
                snapshot.set(get(client, base + "/api/snapshot" + token));
                return snapshot.get().contains("connection refused");
            }, () -> "the error in the snapshot: " + snapshot.get());
            assertThat(snapshot.get()).contains("\"cluster\":{\"name\":\"tcp://broker.example:61616\","
                + "\"readAgoMs\":null,\"error\":\"connection refused\",\"hosts\":[],\"queues\":[]}");
            assertThat(get(client, base + "/metrics" + token)).doesNotContain("forklift_cluster_");

            up.set(true);
            Await.until(Duration.ofSeconds(30), () -> {
                snapshot.set(get(client, base + "/api/snapshot" + token));
                return snapshot.get().contains("\"name\":\"h1\"") && snapshot.get().contains("\"error\":null");
            }, () -> "the host in the snapshot: " + snapshot.get());
            assertThat(snapshot.get()).contains("{\"name\":\"h1\",\"pid\":11,\"workers\":3,\"workerPids\":[21,22,23],"
                + "\"tasksDone\":500,\"tasksHeld\":2,").contains("\"statusAgeMs\":40}")
                .contains("{\"name\":\"forklift.tasks\",\"messages\":9,\"consumers\":1}");
            assertThat(get(client, base + "/metrics" + token)).contains("forklift_cluster_hosts 1\n")
                .contains("forklift_cluster_host_workers{host=\"h1\"} 3\n")
                .contains("forklift_cluster_host_tasks_done_total{host=\"h1\"} 500\n")
                .contains("forklift_cluster_host_tasks_held{host=\"h1\"} 2\n")
                .contains("forklift_cluster_queue_messages{queue=\"forklift.tasks\"} 9\n")
                .contains("forklift_cluster_queue_consumers{queue=\"forklift.tasks\"} 1\n");

            up.set(false);
            Await.until(Duration.ofSeconds(30), () -> {
                snapshot.set(get(client, base + "/api/snapshot" + token));
                return snapshot.get().contains("connection refused");
            }, () -> "the error again: " + snapshot.get());
            assertThat(snapshot.get()).contains("\"name\":\"h1\"");
        }
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
}
