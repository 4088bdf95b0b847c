package dev.forklift.bench.observe;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.pool.PoolSubmitCase;
import dev.forklift.bench.queue.QueueThroughputCase;
import dev.forklift.dashboard.Dashboard;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an open dashboard page costs a job: the same measurement taken with the job's own dashboard running and an
 * SSE viewer attached (the "Forklift" column) and without (the "peer" column), alternately in one run. Target: the
 * page costs less than 1 %, that is a ratio of at least 0.99.
 */
public final class DashboardCostCase implements BenchCase {
    private final String name;
    private final String description;
    private final BenchCase withPage;
    private final BenchCase withoutPage;
    private final AtomicLong events = new AtomicLong();

    private DashboardCostCase(final String name, final String description, final BenchCase withPage,
        final BenchCase withoutPage) {
        this.name = name;
        this.description = description;
        this.withPage = withPage;
        this.withoutPage = withoutPage;
    }

    /** @return Q16 with the page open vs without. */
    public static DashboardCostCase q16() {
        return new DashboardCostCase("OBS-Q16", "Q16 with the job's dashboard and one SSE viewer vs without",
            QueueThroughputCase.q16(), QueueThroughputCase.q16());
    }

    /** @return P-submit with the page open vs without. */
    public static DashboardCostCase poolSubmit() {
        return new DashboardCostCase("OBS-PSUB", "P-submit with the job's dashboard and one SSE viewer vs without",
            new PoolSubmitCase(), new PoolSubmitCase());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String unit() {
        return withPage.unit();
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double targetRatio() {
        return 0.99;
    }

    @Override
    public double runForklift() throws Exception {
        try (Dashboard dashboard = Dashboard.forThisJob().start()) {
            final Thread viewer = startViewer(dashboard);
            try {
                return withPage.runForklift();
            } finally {
                viewer.interrupt();
            }
        }
    }

    @Override
    public double runPeer() throws Exception {
        return withoutPage.runForklift();
    }

    @Override
    public String notes() {
        return name + ": " + events.get() + " SSE snapshots received by the viewer while measured";
    }

    /** An SSE viewer as a browser tab is: reads /events until the dashboard closes. */
    private Thread startViewer(final Dashboard dashboard) {
        final Thread viewer = new Thread(() -> {
            final HttpClient client = HttpClient.newHttpClient();
            final String url = "http://127.0.0.1:" + dashboard.port() + "/events?token=" + dashboard.token();
            try (InputStream in = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
                final byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    for (int i = 0; i + 5 < read; i++) {
                        if (buffer[i] == 'd' && buffer[i + 1] == 'a' && buffer[i + 2] == 't' && buffer[i + 3] == 'a'
                            && buffer[i + 4] == ':') {
                            events.incrementAndGet();
                        }
                    }
                }
            } catch (final Exception ex) {
                // the dashboard closed, or the run ended
            }
        }, "bench-sse-viewer");
        viewer.setDaemon(true);
        viewer.start();
        return viewer;
    }
}
