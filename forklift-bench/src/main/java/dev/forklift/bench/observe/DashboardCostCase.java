package dev.forklift.bench.observe;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.Format;
import dev.forklift.bench.SteadyWorkload;
import dev.forklift.bench.pool.PoolSubmitWorkload;
import dev.forklift.bench.queue.Q16Workload;
import dev.forklift.dashboard.Dashboard;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an open dashboard page costs a job, measured so that a 1 % difference can be resolved: one long-running
 * workload (Q16, or pool submit) per run, its throughput sampled in many short windows inside the same JVMs, with
 * the page open in one window of each pair and closed in the other (the order of each pair drawn at random), so
 * that the slow drift of the machine cancels in each pair's ratio. Target: the 95 % confidence interval of the
 * mean paired ratio (page open / closed) lies above 0.99, that is the page costs less than 1 % with confidence.
 *
 * <p>"Page open" is the job's own dashboard ({@code Dashboard.forThisJob()}: sampler and HTTP threads in the job's
 * JVM, the worst case) with what a browser tab of the page does: one SSE stream ({@code /events}) read to the end,
 * {@code /api/snapshot} fetched once a second, {@code /api/history} once and {@code /metrics} every 15 s of open
 * time; the page's client runs in the job's JVM too, a cost a real browser does not put there. Each open window
 * starts the dashboard, connects the page, waits for its first snapshot and then {@value #SETTLE_MS} ms more
 * (half a sample period: the opening's one-time sample stays out), and measures for one window; the page's load
 * then falls inside the window at its real rate (one sample, one SSE push, one fetch per second; the printed line
 * says the rate seen). "Page closed" is no dashboard at all, measured after the same {@value #SETTLE_MS} ms (so
 * that the stir of a closing or an opening falls outside both sides alike): stricter than a dashboard left running
 * with nobody looking, whose sampler idles (no board read).
 *
 * <p>The harness's two columns are the means of a run's open and closed windows (one run measures both; whichever
 * side the harness asks first runs the windows, the other gets the same run's other mean). {@link #notes()} prints
 * the verdict line: the paired ratios' mean with its 95 % t-interval, median and quartiles, the pairs, and the
 * CPU of the page's threads (sampler, HTTP server, SSE and the page's client) per second of open windows, as a
 * share of one core and of the workload's CPU (the job's JVM less the page's threads, plus its children).
 *
 * <p>Settings: {@code -Dforklift.bench.obs.seconds=S} (default 20) of windows per run;
 * {@code -Dforklift.bench.obs.windowMs=W} (default 1000: a whole sample period of the page in each window).
 */
public final class DashboardCostCase implements BenchCase {
    private static final long SNAPSHOT_POLL_MS = 1_000;
    private static final long METRICS_POLL_MS = 15_000;
    /** Between a window's change (the page opened, or the dashboard closed) and its measurement, on both sides. */
    static final long SETTLE_MS = 500;
    private static final long WARMUP_MS = 1_500;
    private static final double FLOOR = 0.99;
    private static final long WINDOW_MS = Long.getLong("forklift.bench.obs.windowMs", 1_000);
    private static final long RUN_NANOS = (long) (Double.parseDouble(
        System.getProperty("forklift.bench.obs.seconds", "20")) * 1e9);
    private static final HttpClient CLIENT = HttpClient.newBuilder().executor(Runnable::run).build();
    /** The page's threads in three groups: the sampler, the HTTP server (SSE included), the page's client. */
    private static final List<List<String>> PAGE_THREADS = List.of(List.of("forklift-dashboard-sampler"),
        List.of("forklift-dashboard-http", "HTTP-Dispatcher", "idle-timeout-task"), List.of("bench-page",
            "HttpClient-"));

    private final String name;
    private final String description;
    private final String unit;
    private final Callable<SteadyWorkload> workload;
    private final PairedRatios ratios = new PairedRatios();
    private final Random order;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong snapshots = new AtomicLong();
    private volatile long metricsDueOpenNanos; // written by the harness thread and the page's poller, one page at a time
    private volatile boolean historyFetched;
    private long openWindowNanos;
    private long pageCpuNanos;
    private final long[] pageCpuByGroup = new long[PAGE_THREADS.size()];
    private long workloadCpuNanos;
    private long eventsInWindows;
    private long snapshotsInWindows;
    private Double otherSide;
    private boolean otherSideIsOpen;

    private DashboardCostCase(final String name, final String description, final String unit,
        final Callable<SteadyWorkload> workload) {
        this.name = name;
        this.description = description;
        this.unit = unit;
        this.workload = workload;
        this.order = new Random(name.hashCode());
    }

    /** @return Q16 with the page open vs closed, in alternating windows of one run. */
    public static DashboardCostCase q16() {
        return new DashboardCostCase("OBS-Q16", "Q16 (1 producer -> 1 consumer JVM, 16 B) run on, its throughput in "
            + WINDOW_MS + " ms windows, the job's dashboard and a page open (SSE, snapshot each second, metrics each "
            + "15 s) in one window of each pair, none in the other", "msgs/s", Q16Workload::start);
    }

    /** @return pool submit with the page open vs closed, in alternating windows of one run. */
    public static DashboardCostCase poolSubmit() {
        return new DashboardCostCase("OBS-PSUB", "P-submit (pool of 2, submit(x -> x + 1) in batches of 20k) run on, "
            + "its throughput in " + WINDOW_MS + " ms windows, the job's dashboard and a page open in one window of "
            + "each pair, none in the other", "tasks/s", PoolSubmitWorkload::start);
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
        return unit;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double targetRatio() {
        return FLOOR;
    }

    @Override
    public String target() {
        return "CI>" + FLOOR;
    }

    /** Passes only when the paired ratios' interval lies above 0.99; the columns' medians are shown for scale. */
    @Override
    public boolean passes(final double forklift, final double peer) {
        return "SHOWN".equals(ratios.verdict(FLOOR));
    }

    @Override
    public double runForklift() throws Exception {
        return side(true);
    }

    @Override
    public double runPeer() throws Exception {
        return side(false);
    }

    /** @return this run's mean of the open (or closed) windows; the first side asked runs the windows. */
    private double side(final boolean open) throws Exception {
        if (otherSide != null && otherSideIsOpen == open) {
            final double value = otherSide;
            otherSide = null;
            return value;
        }
        final double[] means = runWindows();
        otherSide = open ? means[1] : means[0];
        otherSideIsOpen = !open;
        return open ? means[0] : means[1];
    }

    /** One run: starts the workload, warms it and the page's code, then measures pairs of windows. */
    private double[] runWindows() throws Exception {
        double openSum = 0;
        double closedSum = 0;
        int pairs = 0;
        try (SteadyWorkload running = workload.call()) {
            Thread.sleep(WARMUP_MS);
            window(running, true, false); // the dashboard's and the page's code warmed, not counted
            final long end = System.nanoTime() + RUN_NANOS;
            do {
                final boolean openFirst = order.nextBoolean();
                final double first = window(running, openFirst, true);
                final double second = window(running, !openFirst, true);
                final double open = openFirst ? first : second;
                final double closed = openFirst ? second : first;
                ratios.add(open, closed);
                openSum += open;
                closedSum += closed;
                pairs++;
            } while (System.nanoTime() < end);
        }
        return new double[] {openSum / pairs, closedSum / pairs};
    }

    /** @return the workload's throughput in one window, with the page open or not. */
    private double window(final SteadyWorkload running, final boolean open, final boolean counted)
        throws Exception {
        if (!open) {
            Thread.sleep(SETTLE_MS); // as long as an open window's: the last closing's stir stays out of both
            return throughput(running);
        }
        try (Dashboard dashboard = Dashboard.forThisJob().start(); Page page = new Page(dashboard)) {
            page.awaitOpen();
            Thread.sleep(SETTLE_MS);
            final long[] pageCpu0 = pageCpuNanos();
            final long jvmCpu0 = jvmCpuNanos();
            final long childCpu0 = childrenCpuNanos(running.childPids());
            final long events0 = events.get();
            final long snapshots0 = snapshots.get();
            final long t0 = System.nanoTime();
            final double value = throughput(running);
            if (counted) {
                final long[] pageCpu1 = pageCpuNanos();
                for (int group = 0; group < pageCpu1.length; group++) {
                    pageCpuByGroup[group] += pageCpu1[group] - pageCpu0[group];
                }
                final long pageCpu = sum(pageCpu1) - sum(pageCpu0);
                openWindowNanos += System.nanoTime() - t0;
                pageCpuNanos += pageCpu;
                workloadCpuNanos += jvmCpuNanos() - jvmCpu0 - pageCpu + childrenCpuNanos(running.childPids())
                    - childCpu0;
                eventsInWindows += events.get() - events0;
                snapshotsInWindows += snapshots.get() - snapshots0;
                metricsDueOpenNanos -= WINDOW_MS * 1_000_000;
            }
            return value;
        }
    }

    private static double perSecond(final long nanos, final double seconds) {
        return seconds > 0 ? nanos / 1e6 / seconds : 0;
    }

    private static double throughput(final SteadyWorkload running) throws InterruptedException {
        final long t0 = System.nanoTime();
        final long done0 = running.done();
        Thread.sleep(WINDOW_MS);
        final long done1 = running.done();
        final long t1 = System.nanoTime();
        return (done1 - done0) * 1e9 / (t1 - t0);
    }

    @Override
    public String notes() {
        if (ratios.count() < 2) {
            return "verdict: NOT RESOLVED, " + ratios.summary();
        }
        final double openS = openWindowNanos / 1e9;
        final double pageMsPerS = openS > 0 ? pageCpuNanos / 1e6 / openS : 0;
        final double half = ratios.halfWidth95();
        final String verdict = ratios.verdict(FLOOR);
        final String reading = "SHOWN".equals(verdict) ? "the page costs less than 1 %"
            : "REFUTED".equals(verdict) ? "the page costs more than 1 %"
            : String.format(Locale.ROOT, "this run resolves only +-%.2f %%", half * 100);
        return String.format(Locale.ROOT, "verdict < 1 %%: %s (%s); paired ratio page open / closed: %s of %d ms "
            + "windows; the page's threads: %.2f ms CPU per s (%.3f %% of one core, %.3f %% of the workload's CPU; "
            + "sampler %.2f, HTTP server %.2f, page's client %.2f ms/s); load seen in the open windows: %.2f SSE "
            + "snapshots/s, %.2f /api/snapshot/s", verdict, reading,
            ratios.summary(), WINDOW_MS, pageMsPerS, pageMsPerS / 10,
            workloadCpuNanos > 0 ? 100.0 * pageCpuNanos / workloadCpuNanos : 0, perSecond(pageCpuByGroup[0], openS),
            perSecond(pageCpuByGroup[1], openS), perSecond(pageCpuByGroup[2], openS),
            openS > 0 ? eventsInWindows / openS : 0, openS > 0 ? snapshotsInWindows / openS : 0);
    }

    /**
     * @return the CPU time so far of the live threads of the dashboard and of the page's client in this JVM, by
     * group ({@link #PAGE_THREADS}).
     */
    static long[] pageCpuNanos() {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long[] total = new long[PAGE_THREADS.size()];
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            for (int group = 0; info != null && group < total.length; group++) {
                if (PAGE_THREADS.get(group).stream().anyMatch(info.getThreadName()::startsWith)) {
                    total[group] += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
        }
        return total;
    }

    private static long sum(final long[] values) {
        long total = 0;
        for (final long value : values) {
            total += value;
        }
        return total;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /** @return the CPU time (user and system) of the processes, from {@code /proc/<pid>/stat}, 10 ms ticks. */
    static long childrenCpuNanos(final List<Long> pids) {
        long total = 0;
        for (final long pid : pids) {
            try {
                final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
            } catch (final Exception ex) {
                // not Linux, or the child ended: its CPU is not counted
            }
        }
        return total;
    }

    /**
     * A browser tab of the page, as far as the dashboard can tell: the SSE stream read to its end, the snapshot
     * fetched once a second, the history once per case and the metrics every 15 s of open time, on 127.0.0.1.
     */
    private final class Page implements AutoCloseable {
        private final String base;
        private final String token;
        private final CountDownLatch firstSnapshot = new CountDownLatch(1);
        private final CountDownLatch firstFetch = new CountDownLatch(1);
        private final Thread sse;
        private final Thread poller;
        private volatile boolean closed;

        Page(final Dashboard dashboard) {
            this.base = "http://127.0.0.1:" + dashboard.port();
            this.token = "token=" + dashboard.token();
            this.sse = daemon("bench-page-sse", () -> readEvents(base + "/events?" + token));
            this.poller = daemon("bench-page-poll", this::poll);
        }

        void awaitOpen() throws InterruptedException {
            if (!firstSnapshot.await(30, TimeUnit.SECONDS) || !firstFetch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the page got no snapshot within 30 s");
            }
        }

        private void readEvents(final String url) {
            try (InputStream in = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
                final byte[] buffer = new byte[8192];
                int read;
                while (!closed && (read = in.read(buffer)) >= 0) {
                    for (int i = 0; i + 5 < read; i++) {
                        if (buffer[i] == 'd' && buffer[i + 1] == 'a' && buffer[i + 2] == 't' && buffer[i + 3] == 'a'
                            && buffer[i + 4] == ':') {
                            events.incrementAndGet();
                            firstSnapshot.countDown();
                        }
                    }
                }
            } catch (final Exception ex) {
                // the dashboard closed, or the window ended
            }
        }

        private void poll() {
            try {
                if (!historyFetched) {
                    historyFetched = true;
                    get(base + "/api/history?" + token);
                }
                boolean first = true;
                while (!closed) {
                    get(base + "/api/snapshot?" + token);
                    snapshots.incrementAndGet();
                    firstFetch.countDown();
                    if (!first && metricsDueOpenNanos <= 0) { // inside the window, at the rate of open time
                        get(base + "/metrics?" + token);
                        metricsDueOpenNanos += METRICS_POLL_MS * 1_000_000;
                    }
                    first = false;
                    Thread.sleep(SNAPSHOT_POLL_MS);
                }
            } catch (final Exception ex) {
                // the dashboard closed, or the window ended
            }
        }

        private void get(final String url) throws Exception {
            CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
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
