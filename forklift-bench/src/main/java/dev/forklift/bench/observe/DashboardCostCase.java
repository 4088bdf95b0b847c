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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an open dashboard page costs a job: the same measurement taken with the job's own dashboard running and a
 * page open (the "Forklift" column) and without (the "peer" column), alternately in one run (the harness swaps
 * which side goes first each run). Target: the page costs less than 1 %, that is a ratio of at least 0.99.
 *
 * <p>"A page open" is what a browser tab of the page does, not less: one SSE stream ({@code /events}) read to the
 * end, {@code /api/snapshot} fetched once a second (the page's own rate), {@code /api/history} once and
 * {@code /metrics} every 15 s as a Prometheus scraper would; the dashboard is started and the page connected and
 * served two snapshots before the measurement starts, so that its start-up is not counted against the job.
 *
 * <p>Each side of a run repeats the case for at least 5 s ({@code -Dforklift.bench.obs.seconds}) and gives the
 * median of its repeats, so that the page is open for several of its samples in every measurement.
 *
 * <p>Besides the harness's ratio of medians, {@link #notes()} gives the ratio of each run's pair (with and without,
 * measured back to back), their median and spread: on a shared machine the pairs cancel most of the drift of the
 * load that the medians of the two columns keep.
 */
public final class DashboardCostCase implements BenchCase {
    private static final long SNAPSHOT_POLL_MS = 1_000;
    private static final long METRICS_POLL_MS = 15_000;
    /** How long each side of a run measures at least: {@code -Dforklift.bench.obs.seconds=S} (default 5). */
    private static final long MEASURE_NANOS = (long) (Double.parseDouble(
        System.getProperty("forklift.bench.obs.seconds", "5")) * 1e9);

    private final String name;
    private final String description;
    private final BenchCase withPage;
    private final BenchCase withoutPage;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong pageCpuNanos = new AtomicLong();
    private final AtomicLong pageWallNanos = new AtomicLong();
    private final List<Double> withValues = new ArrayList<>();
    private final List<Double> withoutValues = new ArrayList<>();
    private boolean warmedUp;

    private DashboardCostCase(final String name, final String description, final BenchCase withPage,
        final BenchCase withoutPage) {
        this.name = name;
        this.description = description;
        this.withPage = withPage;
        this.withoutPage = withoutPage;
    }

    /** @return Q16 with the page open vs without. */
    public static DashboardCostCase q16() {
        return new DashboardCostCase("OBS-Q16", "Q16 with the job's dashboard and a page open (SSE, snapshot each "
            + "second, metrics each 15 s) vs without", QueueThroughputCase.q16(), QueueThroughputCase.q16());
    }

    /** @return P-submit with the page open vs without. */
    public static DashboardCostCase poolSubmit() {
        return new DashboardCostCase("OBS-PSUB", "P-submit with the job's dashboard and a page open (SSE, snapshot "
            + "each second, metrics each 15 s) vs without", new PoolSubmitCase(), new PoolSubmitCase());
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

    /**
     * Runs the case again and again for at least {@link #MEASURE_NANOS} (a single run of Q16 or P-submit lasts about
     * a second, about one sample of the page's), and gives the median of the runs.
     */
    private static double measure(final BenchCase benchCase) throws Exception {
        final List<Double> values = new ArrayList<>();
        final long start = System.nanoTime();
        do {
            values.add(benchCase.runForklift());
        } while (System.nanoTime() - start < MEASURE_NANOS);
        Collections.sort(values);
        return quantile(values, 0.5);
    }

    /**
     * One run of the case without the page, not measured, before the first measured run of either side: the
     * harness's first run would otherwise carry the JVM's warm-up, and always on the side that goes first.
     */
    private void warmUpOnce() throws Exception {
        if (!warmedUp) {
            warmedUp = true;
            withoutPage.runForklift();
        }
    }

    @Override
    public double runForklift() throws Exception {
        warmUpOnce();
        try (Dashboard dashboard = Dashboard.forThisJob().start()) {
            final Page page = new Page(dashboard);
            try {
                page.awaitOpen();
                final long cpuBefore = pageCpuNanos();
                final long wallBefore = System.nanoTime();
                try {
                    final double value = measure(withPage);
                    synchronized (withValues) {
                        withValues.add(value);
                    }
                    return value;
                } finally {
                    pageCpuNanos.addAndGet(pageCpuNanos() - cpuBefore);
                    pageWallNanos.addAndGet(System.nanoTime() - wallBefore);
                }
            } finally {
                page.close();
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
        warmUpOnce();
        final double value = measure(withoutPage);
        synchronized (withValues) {
            withoutValues.add(value);
        }
        return value;
    }

    @Override
    public String notes() {
        final double wallS = pageWallNanos.get() / 1e9;
        final List<Double> ratios = new ArrayList<>();
        synchronized (withValues) {
            for (int i = 0; i < Math.min(withValues.size(), withoutValues.size()); i++) {
                ratios.add(withValues.get(i) / withoutValues.get(i));
            }
        }
        Collections.sort(ratios);
        final String paired = ratios.isEmpty() ? "no pairs" : String.format(Locale.ROOT,
            "ratio of each run's pair (with / without): median %.3f, quartiles %.3f..%.3f, range %.3f..%.3f, %d pairs",
            quantile(ratios, 0.5), quantile(ratios, 0.25), quantile(ratios, 0.75), ratios.get(0),
            ratios.get(ratios.size() - 1), ratios.size());
        return String.format(Locale.ROOT, "%s; the page's threads used %.2f ms of CPU per second of the runs (%.3f %% "
            + "of one core); the page received %d SSE snapshots and fetched %d /api/snapshot", paired,
            wallS > 0 ? pageCpuNanos.get() / 1e6 / wallS : 0, wallS > 0 ? pageCpuNanos.get() / 1e7 / wallS : 0,
            events.get(), snapshots.get());
    }

    /** @return the q-quantile of sorted values, interpolated. */
    static double quantile(final List<Double> sorted, final double q) {
        final double at = q * (sorted.size() - 1);
        final int low = (int) Math.floor(at);
        final int high = Math.min(sorted.size() - 1, low + 1);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (at - low);
    }

    /**
     * A browser tab of the page, as far as the dashboard can tell: the SSE stream read to its end, the snapshot
     * fetched once a second, the history once and the metrics every 15 s, on 127.0.0.1.
     */
    private final class Page implements AutoCloseable {
        private final HttpClient client = HttpClient.newBuilder().executor(Runnable::run).build();
        private final String base;
        private final CountDownLatch twoSnapshots = new CountDownLatch(2);
        private final Thread sse;
        private final Thread poller;
        private volatile boolean closed;

        Page(final Dashboard dashboard) {
            this.base = "http://127.0.0.1:" + dashboard.port();
            final String token = "token=" + dashboard.token();
            this.sse = daemon("bench-page-sse", () -> readEvents(base + "/events?" + token));
            this.poller = daemon("bench-page-poll", () -> poll(token));
        }

        void awaitOpen() throws InterruptedException {
            if (!twoSnapshots.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the page did not receive two snapshots within 30 s");
            }
        }

        private void readEvents(final String url) {
            try (InputStream in = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
                final byte[] buffer = new byte[8192];
                int read;
                while (!closed && (read = in.read(buffer)) >= 0) {
                    for (int i = 0; i + 5 < read; i++) {
                        if (buffer[i] == 'd' && buffer[i + 1] == 'a' && buffer[i + 2] == 't' && buffer[i + 3] == 'a'
                            && buffer[i + 4] == ':') {
                            events.incrementAndGet();
                            twoSnapshots.countDown();
                        }
                    }
                }
            } catch (final Exception ex) {
                // the dashboard closed, or the run ended
            }
        }

        private void poll(final String token) {
            try {
                get(base + "/api/history?" + token);
                long nextMetricsMs = 0;
                while (!closed) {
                    get(base + "/api/snapshot?" + token);
                    snapshots.incrementAndGet();
                    final long nowMs = System.currentTimeMillis();
                    if (nowMs >= nextMetricsMs) {
                        get(base + "/metrics?" + token);
                        nextMetricsMs = nowMs + METRICS_POLL_MS;
                    }
                    Thread.sleep(SNAPSHOT_POLL_MS);
                }
            } catch (final Exception ex) {
                // the dashboard closed, or the run ended
            }
        }

        private void get(final String url) throws Exception {
            client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            sse.interrupt();
            poller.interrupt();
        }
    }

    private static Thread daemon(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
