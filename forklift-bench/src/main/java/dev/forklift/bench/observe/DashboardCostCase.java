package dev.forklift.bench.observe;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.pool.PoolSubmitCase;
import dev.forklift.bench.queue.QueueThroughputCase;
import dev.forklift.dashboard.Dashboard;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
    private final AtomicLong pageCpuNanos = new AtomicLong();
    private final AtomicLong pageWallNanos = new AtomicLong();

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
            final long cpuBefore = pageCpuNanos();
            final long wallBefore = System.nanoTime();
            try {
                return withPage.runForklift();
            } finally {
                pageCpuNanos.addAndGet(pageCpuNanos() - cpuBefore);
                pageWallNanos.addAndGet(System.nanoTime() - wallBefore);
                viewer.interrupt();
            }
        }
    }

    /** @return the CPU time so far of the dashboard's threads (sampler and HTTP, SSE included) in this JVM. */
    private static long pageCpuNanos() {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("forklift-dashboard")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    @Override
    public double runPeer() throws Exception {
        return withoutPage.runForklift();
    }

    @Override
    public String notes() {
        final double wallS = pageWallNanos.get() / 1e9;
        return String.format("%s: the page's threads used %.2f ms of CPU per second of the runs (%.3f %% of one core);"
            + " %d SSE snapshots received by the viewer", name, wallS > 0 ? pageCpuNanos.get() / 1e6 / wallS : 0,
            wallS > 0 ? pageCpuNanos.get() / 1e7 / wallS : 0, events.get());
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
