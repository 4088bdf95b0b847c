package dev.forklift.dashboard;

import dev.forklift.pool.FailedTask;
import dev.forklift.pool.PoolInspector;
import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;
import dev.forklift.queue.QueueInspector;
import dev.forklift.shm.SharedMemoryDirectory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one sampler of a dashboard, shared by every viewer: once a second it reads the status boards, the pools'
 * counter boards and the queue headers (as {@code forklift ps} does: shared memory only, never a job's hot path),
 * adds CPU and memory from the operating system, computes rates, keeps ten minutes of throughput history, and hands
 * the new snapshot to the listeners (the SSE streams). With a {@link ClusterSource}, each snapshot also carries the
 * cluster's hosts and queues as its {@link ClusterPoller} last read them (on a thread of its own). Memory is bounded: the history is a fixed ring, exited
 * processes are kept {@link #EXITED_KEEP_MS} at most {@link #MAX_EXITED}, failures at most {@link #MAX_FAILURES}.
 *
 * <p>It samples only while someone looks: while an SSE viewer is connected ({@link #addListener}) or for
 * {@value #IDLE_AFTER_PERIODS} periods after the last request that called {@link #demand()}. Otherwise it idles
 * (no scheduled task, no reads of the boards), so that a dashboard nobody watches costs its job nothing; the first
 * request after an idle spell samples at once on the requesting thread, so it never sees a stale snapshot, and the
 * throughput history has a gap for the idle spell (its first point is the mean rate over the gap).
 *
 * <p>Threads: its own daemon thread samples; {@link #snapshotJson()} and the other getters are read by the HTTP
 * threads. Nothing blocks but the reads of the board files.
 */
final class Sampler implements AutoCloseable {
    static final int HISTORY_POINTS = 600;
    static final long EXITED_KEEP_MS = 60_000;
    static final int MAX_EXITED = 200;
    static final int MAX_FAILURES = 500;
    static final int MAX_GROUPS = 50;
    private static final double RATE_SMOOTHING = 0.4;
    private static final Pattern SERIAL = Pattern.compile("^\\d+-");
    /** Sample periods after the last {@link #demand()} with no SSE viewer before the sampler idles. */
    static final int IDLE_AFTER_PERIODS = 3;

    private final LongPredicate jobFilter;
    private final Supplier<List<FailedTask>> failures;
    private final String mode;
    private final boolean actionsAllowed;
    private final long periodMs;
    private final String host = hostName();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread;
    private final ClusterPoller cluster;
    private final Object scheduleLock = new Object();
    private ScheduledFuture<?> ticking; // guarded by scheduleLock; null while idle
    private boolean closed; // guarded by scheduleLock
    private volatile long lastDemandNs;
    private final AtomicLong samplesTaken = new AtomicLong();

    // Sampler thread only.
    private final Map<Long, double[]> lastProcess = new HashMap<>();
    private final Map<Long, Map<String, Object>> exited = new LinkedHashMap<>();
    private final Map<Long, double[]> lastJob = new HashMap<>();
    private final Map<String, double[]> lastQueue = new HashMap<>();
    private final Map<Long, String> commands = new HashMap<>();
    private long lastOk = -1;
    private long lastFailed = -1;
    private long lastSampleNs;
    private final double[] historyT = new double[HISTORY_POINTS];
    private final double[] historyOk = new double[HISTORY_POINTS];
    private final double[] historyFailed = new double[HISTORY_POINTS];
    private int historyStart;
    private int historyCount;

    private volatile String snapshotJson = "{}";
    private volatile List<PoolInspector.PoolInfo> pools = List.of();
    private volatile List<QueueInspector.QueueInfo> queues = List.of();
    private volatile List<FailedTask> failedTasks = List.of();

    Sampler(final LongPredicate jobFilter, final Supplier<List<FailedTask>> failures, final String mode,
        final boolean actionsAllowed, final long periodMs, final ClusterSource clusterSource) {
        this.cluster = clusterSource == null ? null : new ClusterPoller(clusterSource, periodMs);
        this.jobFilter = jobFilter;
        this.failures = failures;
        this.mode = mode;
        this.actionsAllowed = actionsAllowed;
        this.periodMs = periodMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "forklift-dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Says someone looks: starts the periodic sampling if it idles, and samples at once on the calling thread when
     * the last sample is older than two periods (the sampler idled), so that the caller then reads a fresh
     * snapshot; while the ticks run, the snapshot is at most about a period old, as before. Called by the HTTP
     * threads for every data request and by {@link #addListener}.
     */
    void demand() {
        lastDemandNs = System.nanoTime();
        synchronized (scheduleLock) {
            if (closed) {
                return;
            }
            if (ticking == null) {
                ticking = thread.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
            }
        }
        sampleIfOlderThan(TimeUnit.MILLISECONDS.toNanos(2 * periodMs));
    }

    /** @return how many samples were taken so far (for tests and the bench: zero work while idle). */
    long samplesTaken() {
        return samplesTaken.get();
    }

    /** @return true while the periodic sampling runs (someone looked within the last periods). */
    boolean isSampling() {
        synchronized (scheduleLock) {
            return ticking != null;
        }
    }

    /** One period's tick on the sampler thread: samples, or stops the ticks when nobody looked for a while. */
    private void tick() {
        if (nobodyLooks()) {
            synchronized (scheduleLock) {
                if (nobodyLooks() && ticking != null) {
                    ticking.cancel(false);
                    ticking = null;
                    return;
                }
            }
        }
        sampleSafely();
    }

    private boolean nobodyLooks() {
        return listeners.isEmpty()
            && System.nanoTime() - lastDemandNs > TimeUnit.MILLISECONDS.toNanos(periodMs * IDLE_AFTER_PERIODS);
    }

    private synchronized void sampleIfOlderThan(final long ageNs) {
        if (lastSampleNs == 0 || System.nanoTime() - lastSampleNs >= ageNs) {
            sampleSafely();
        }
    }

    String snapshotJson() {
        return snapshotJson;
    }

    List<PoolInspector.PoolInfo> pools() {
        return pools;
    }

    List<QueueInspector.QueueInfo> queues() {
        return queues;
    }

    /** @return the cluster's last good read, or null (no cluster, or not read yet). */
    ClusterView clusterView() {
        return cluster == null ? null : cluster.view();
    }

    List<FailedTask> failedTasks() {
        return failedTasks;
    }

    boolean isWatched(final long boardOwnerPid) {
        return jobFilter.test(boardOwnerPid);
    }

    /** Adds an SSE viewer: the sampler samples while it is there, and hands it every new snapshot. */
    void addListener(final Consumer<String> listener) {
        listeners.add(listener);
        demand();
    }

    void removeListener(final Consumer<String> listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    synchronized String historyJson() {
        final List<Object> t = new ArrayList<>();
        final List<Object> ok = new ArrayList<>();
        final List<Object> failed = new ArrayList<>();
        for (int i = 0; i < historyCount; i++) {
            final int at = (historyStart + i) % HISTORY_POINTS;
            t.add(historyT[at]);
            ok.add(historyOk[at]);
            failed.add(historyFailed[at]);
        }
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("t", t);
        doc.put("completed", ok);
        doc.put("failed", failed);
        return Json.of(doc);
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (final RuntimeException ex) {
            // a board deleted mid-read or an odd row: the next sample tries again
        }
    }

    private synchronized void sample() {
        samplesTaken.incrementAndGet();
        final long nowNs = System.nanoTime();
        final long nowMs = System.currentTimeMillis();
        final double elapsedS = lastSampleNs == 0 ? 0 : (nowNs - lastSampleNs) / 1e9;
        lastSampleNs = nowNs;

        final SharedMemoryDirectory directory = SharedMemoryDirectory.current();
        final List<ProcessRow> rows = new ArrayList<>();
        for (final ProcessRow row : ProcessTable.snapshot(directory, jobFilter)) {
            if (jobFilter.test(row.boardOwnerPid())) {
                rows.add(row);
            }
        }
        final List<PoolInspector.PoolInfo> poolInfos = new ArrayList<>();
        for (final PoolInspector.PoolInfo pool : PoolInspector.snapshot(directory, jobFilter)) {
            if (jobFilter.test(pool.ownerPid())) {
                poolInfos.add(pool);
            }
        }
        final List<QueueInspector.QueueInfo> queueInfos = new ArrayList<>();
        for (final QueueInspector.QueueInfo queue : QueueInspector.snapshot(directory, jobFilter)) {
            if (jobFilter.test(queue.ownerPid())) {
                queueInfos.add(queue);
            }
        }
        final List<FailedTask> failedNow = copyFailures();

        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", nowMs);
        doc.put("mode", mode);
        doc.put("actionsAllowed", actionsAllowed);
        doc.put("host", host);
        final List<Map<String, Object>> processes = processes(rows, poolInfos, elapsedS, nowMs);
        doc.put("jobs", jobs(rows, poolInfos, elapsedS));
        doc.put("processes", processes);
        doc.put("pools", poolsJson(poolInfos));
        doc.put("queues", queuesJson(queueInfos, elapsedS));
        doc.put("failedCount", failedNow.size());
        doc.put("failureGroups", groups(failedNow));
        doc.put("point", point(poolInfos, rows, nowMs, elapsedS));
        if (cluster != null) {
            doc.put("cluster", cluster.json(nowMs));
        }

        pools = List.copyOf(poolInfos);
        queues = List.copyOf(queueInfos);
        failedTasks = failedNow;
        final String json = Json.of(doc);
        snapshotJson = json;
        for (final Consumer<String> listener : listeners) {
            listener.accept(json);
        }
    }

    private List<FailedTask> copyFailures() {
        final List<FailedTask> all = failures.get();
        if (all == null || all.isEmpty()) {
            return List.of();
        }
        final int from = Math.max(0, all.size() - MAX_FAILURES);
        return List.copyOf(all.subList(from, all.size()));
    }

    private List<Map<String, Object>> jobs(final List<ProcessRow> rows, final List<PoolInspector.PoolInfo> poolInfos,
        final double elapsedS) {
        final Map<Long, Map<String, Object>> jobs = new LinkedHashMap<>();
        final Set<Long> owners = new HashSet<>();
        for (final ProcessRow row : rows) {
            owners.add(row.boardOwnerPid());
        }
        for (final PoolInspector.PoolInfo pool : poolInfos) {
            owners.add(pool.ownerPid());
        }
        for (final long owner : owners) {
            final Map<String, Object> job = new LinkedHashMap<>();
            job.put("pid", owner);
            String name = "pid " + owner;
            String role = "";
            String state = "";
            long startMs = 0;
            int workers = 0;
            long items = 0;
            for (final ProcessRow row : rows) {
                if (row.boardOwnerPid() != owner) {
                    continue;
                }
                if (row.pid() == owner) {
                    name = row.name();
                    role = row.role();
                    state = row.state();
                    startMs = row.startEpochMs();
                } else {
                    items += row.itemsDone();
                    if (row.alive()) {
                        workers++;
                    }
                }
            }
            long submitted = 0;
            long ok = 0;
            long failed = 0;
            long restarts = 0;
            final List<String> poolNames = new ArrayList<>();
            for (final PoolInspector.PoolInfo pool : poolInfos) {
                if (pool.ownerPid() != owner) {
                    continue;
                }
                poolNames.add(pool.name());
                submitted += pool.counter("submitted");
                ok += pool.counter("completed.success");
                failed += failedOf(pool);
                restarts += pool.counter("worker.exits.crash") + pool.counter("worker.exits.heartbeat")
                    + pool.counter("worker.exits.timeout");
            }
            final long done = poolNames.isEmpty() ? items : ok + failed;
            final double[] last = lastJob.get(owner);
            double rate = 0;
            if (last != null && elapsedS > 0) {
                final double instant = Math.max(0, (done - last[0]) / elapsedS);
                rate = RATE_SMOOTHING * instant + (1 - RATE_SMOOTHING) * last[1];
            }
            lastJob.put(owner, new double[] {done, rate});
            job.put("name", name);
            job.put("command", commands.computeIfAbsent(owner, Sampler::commandOf));
            job.put("role", role);
            job.put("state", state);
            job.put("startMs", startMs);
            job.put("pools", poolNames);
            job.put("submitted", submitted);
            job.put("completed", ok);
            job.put("failed", failed);
            job.put("done", done);
            job.put("items", items);
            job.put("workers", workers);
            job.put("restarts", restarts);
            job.put("rate", rate);
            job.put("progress", submitted > 0 ? Math.min(1.0, (double) (ok + failed) / submitted) : null);
            job.put("etaSeconds", submitted > 0 && rate > 0.01 ? (submitted - ok - failed) / rate : null);
            jobs.put(owner, job);
        }
        lastJob.keySet().retainAll(owners);
        commands.keySet().retainAll(owners);
        return new ArrayList<>(jobs.values());
    }

    /**
     * @return the job's command without the JVM's options ({@code forklift-cli.jar demo --no-table}), at most 100
     * characters, or an empty string when the operating system does not say.
     */
    static String commandOf(final long pid) {
        final String[] args = ProcessHandle.of(pid).flatMap(h -> h.info().arguments()).orElse(new String[0]);
        final StringBuilder out = new StringBuilder();
        boolean main = false;
        for (int i = 0; i < args.length && out.length() < 100; i++) {
            final String arg = args[i];
            if (!main) {
                if ("-cp".equals(arg) || "-classpath".equals(arg) || "--class-path".equals(arg)) {
                    i++;
                    continue;
                }
                if ("-jar".equals(arg) && i + 1 < args.length) {
                    out.append(java.nio.file.Path.of(args[++i]).getFileName());
                    main = true;
                    continue;
                }
                if (arg.startsWith("-")) {
                    continue;
                }
                main = true;
                out.append(arg.substring(arg.lastIndexOf('.') + 1));
                continue;
            }
            out.append(' ').append(arg);
        }
        return out.length() > 100 ? out.substring(0, 100) + "…" : out.toString();
    }

    private static long failedOf(final PoolInspector.PoolInfo pool) {
        return pool.counter("completed.failed") + pool.counter("completed.timeout")
            + pool.counter("completed.crashed");
    }

    private List<Map<String, Object>> processes(final List<ProcessRow> rows,
        final List<PoolInspector.PoolInfo> poolInfos, final double elapsedS, final long nowMs) {
        final List<Map<String, Object>> out = new ArrayList<>();
        final Set<Long> seen = new HashSet<>();
        for (final ProcessRow row : rows) {
            if (row.pid() == 0) {
                continue;
            }
            seen.add(row.pid());
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("pid", row.pid());
            p.put("job", row.boardOwnerPid());
            p.put("parentPid", row.parentPid());
            p.put("role", row.role());
            p.put("name", row.name());
            p.put("state", row.alive() ? row.state() : "exited");
            p.put("alive", row.alive());
            p.put("currentTask", row.currentTask());
            p.put("taskAgeMs", row.currentTask() > 0 ? row.taskAgeMs() : null);
            p.put("items", row.itemsDone());
            p.put("heartbeatAgeMs", row.heartbeatAgeMs());
            p.put("startMs", row.startEpochMs());
            final long[] cpuAndRss = row.alive() ? ProcStats.cpuNanosAndRssBytes(row.pid()) : new long[] {-1, -1};
            final long cpu = cpuAndRss[0];
            final double[] last = lastProcess.get(row.pid());
            double cpuPercent = 0;
            double itemsRate = 0;
            if (last != null && elapsedS > 0) {
                cpuPercent = cpu >= 0 && last[0] >= 0 ? Math.max(0, (cpu - last[0]) / 1e9 / elapsedS * 100) : 0;
                itemsRate = Math.max(0, (row.itemsDone() - last[1]) / elapsedS);
            }
            lastProcess.put(row.pid(), new double[] {cpu, row.itemsDone()});
            p.put("cpuPercent", cpuPercent);
            p.put("itemsRate", itemsRate);
            p.put("rssBytes", cpuAndRss[1]);
            p.put("restarts", row.pid() == row.boardOwnerPid() ? restartsOf(row.pid(), poolInfos) : 0);
            if (row.alive()) {
                exited.remove(row.pid());
                out.add(p);
            } else {
                exited.putIfAbsent(row.pid(), withExitTime(p, nowMs));
            }
        }
        // Rows gone from the boards (their job ended or the row was reused) are shown as exited for a while.
        for (final Iterator<Map.Entry<Long, double[]>> it = lastProcess.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<Long, double[]> entry = it.next();
            if (!seen.contains(entry.getKey())) {
                it.remove();
            }
        }
        for (final Iterator<Map<String, Object>> it = exited.values().iterator(); it.hasNext(); ) {
            final Map<String, Object> p = it.next();
            final long exitedAt = (Long) p.get("exitedAtMs");
            if (nowMs - exitedAt > EXITED_KEEP_MS || exited.size() > MAX_EXITED) {
                it.remove();
            } else {
                final Map<String, Object> copy = new LinkedHashMap<>(p);
                copy.put("exitedAgoMs", nowMs - exitedAt);
                out.add(copy);
            }
        }
        rememberVanished(out, seen, nowMs);
        return out;
    }

    private final Map<Long, Map<String, Object>> lastAlive = new HashMap<>();

    /** Processes seen alive last time and absent now (their board was deleted) join the exited ones. */
    private void rememberVanished(final List<Map<String, Object>> out, final Set<Long> seen, final long nowMs) {
        for (final Map.Entry<Long, Map<String, Object>> entry : lastAlive.entrySet()) {
            if (!seen.contains(entry.getKey()) && !exited.containsKey(entry.getKey())) {
                final Map<String, Object> p = new LinkedHashMap<>(entry.getValue());
                p.put("state", "exited");
                p.put("alive", false);
                exited.put(entry.getKey(), withExitTime(p, nowMs));
                final Map<String, Object> copy = new LinkedHashMap<>(exited.get(entry.getKey()));
                copy.put("exitedAgoMs", 0L);
                out.add(copy);
            }
        }
        lastAlive.clear();
        for (final Map<String, Object> p : out) {
            if (Boolean.TRUE.equals(p.get("alive"))) {
                lastAlive.put((Long) p.get("pid"), p);
            }
        }
    }

    private static Map<String, Object> withExitTime(final Map<String, Object> p, final long nowMs) {
        final Map<String, Object> copy = new LinkedHashMap<>(p);
        copy.put("exitedAtMs", nowMs);
        copy.put("cpuPercent", 0.0);
        copy.put("itemsRate", 0.0);
        copy.put("currentTask", 0L);
        copy.put("taskAgeMs", null);
        return copy;
    }

    private static long restartsOf(final long owner, final List<PoolInspector.PoolInfo> poolInfos) {
        long restarts = 0;
        for (final PoolInspector.PoolInfo pool : poolInfos) {
            if (pool.ownerPid() == owner) {
                restarts += pool.counter("worker.exits.crash") + pool.counter("worker.exits.heartbeat")
                    + pool.counter("worker.exits.timeout");
            }
        }
        return restarts;
    }

    private static List<Map<String, Object>> poolsJson(final List<PoolInspector.PoolInfo> poolInfos) {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final PoolInspector.PoolInfo pool : poolInfos) {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", pool.name());
            p.put("job", pool.ownerPid());
            p.put("counters", pool.counters());
            out.add(p);
        }
        return out;
    }

    private List<Map<String, Object>> queuesJson(final List<QueueInspector.QueueInfo> queueInfos,
        final double elapsedS) {
        final List<Map<String, Object>> out = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (final QueueInspector.QueueInfo queue : queueInfos) {
            final String key = queue.path().toString();
            seen.add(key);
            final double[] last = lastQueue.get(key);
            double putRate = 0;
            double takeRate = 0;
            if (last != null && elapsedS > 0) {
                putRate = Math.max(0, (queue.puts() - last[0]) / elapsedS);
                takeRate = Math.max(0, (queue.takes() - last[1]) / elapsedS);
            }
            lastQueue.put(key, new double[] {queue.puts(), queue.takes()});
            final Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", stableName(queue.name()));
            q.put("job", queue.ownerPid());
            q.put("size", queue.size());
            q.put("capacity", queue.capacity());
            q.put("puts", queue.puts());
            q.put("takes", queue.takes());
            q.put("putRate", putRate);
            q.put("takeRate", takeRate);
            q.put("torn", queue.torn());
            q.put("abandoned", queue.abandoned());
            q.put("aborted", queue.aborted());
            q.put("closed", queue.closed());
            out.add(q);
        }
        lastQueue.keySet().retainAll(seen);
        return out;
    }

    static String stableName(final String inspectorName) {
        return SERIAL.matcher(inspectorName).replaceFirst("");
    }

    private static List<Map<String, Object>> groups(final List<FailedTask> failed) {
        final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (final FailedTask task : failed) {
            final String frame = topFrame(task.stackTrace());
            final String key = task.errorClass() + " @ " + frame;
            final Map<String, Object> group = groups.computeIfAbsent(key, k -> {
                final Map<String, Object> g = new LinkedHashMap<>();
                g.put("key", k);
                g.put("errorClass", task.errorClass());
                g.put("topFrame", frame);
                g.put("count", 0);
                return g;
            });
            group.put("count", (Integer) group.get("count") + 1);
            group.put("lastMessage", task.errorMessage());
            group.put("lastTaskId", task.taskId());
        }
        final List<Map<String, Object>> out = new ArrayList<>(groups.values());
        out.sort((a, b) -> Integer.compare((Integer) b.get("count"), (Integer) a.get("count")));
        return out.size() > MAX_GROUPS ? out.subList(0, MAX_GROUPS) : out;
    }

    /** @return the first frame of a stack trace text ({@code at ...}), or an empty string. */
    static String topFrame(final String stackTrace) {
        if (stackTrace == null) {
            return "";
        }
        for (final String line : stackTrace.split("\n")) {
            final String trimmed = line.trim();
            if (trimmed.startsWith("at ")) {
                return trimmed.substring(3);
            }
        }
        return "";
    }

    private Map<String, Object> point(final List<PoolInspector.PoolInfo> poolInfos, final List<ProcessRow> rows,
        final long nowMs, final double elapsedS) {
        long ok = 0;
        long failed = 0;
        final Set<Long> withPools = new HashSet<>();
        for (final PoolInspector.PoolInfo pool : poolInfos) {
            ok += pool.counter("completed.success");
            failed += failedOf(pool);
            withPools.add(pool.ownerPid());
        }
        for (final ProcessRow row : rows) {
            if (!withPools.contains(row.boardOwnerPid()) && row.pid() != row.boardOwnerPid()) {
                ok += row.itemsDone();
            }
        }
        double okRate = 0;
        double failedRate = 0;
        if (lastOk >= 0 && elapsedS > 0) {
            okRate = Math.max(0, (ok - lastOk) / elapsedS);
            failedRate = Math.max(0, (failed - lastFailed) / elapsedS);
        }
        lastOk = ok;
        lastFailed = failed;
        final int at = (historyStart + historyCount) % HISTORY_POINTS;
        historyT[at] = nowMs / 1000.0;
        historyOk[at] = okRate;
        historyFailed[at] = failedRate;
        if (historyCount < HISTORY_POINTS) {
            historyCount++;
        } else {
            historyStart = (historyStart + 1) % HISTORY_POINTS;
        }
        final Map<String, Object> point = new LinkedHashMap<>();
        point.put("t", nowMs / 1000.0);
        point.put("completed", okRate);
        point.put("failed", failedRate);
        return point;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (final java.io.IOException ex) {
            return "localhost";
        }
    }

    /** Failed tasks as JSON objects, newest last. */
    static Map<String, Object> failureJson(final FailedTask task) {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("taskId", task.taskId());
        f.put("errorClass", task.errorClass());
        f.put("errorMessage", task.errorMessage());
        f.put("topFrame", topFrame(task.stackTrace()));
        f.put("stackTrace", task.stackTrace());
        f.put("attempts", task.attempts());
        f.put("workerName", task.workerName());
        f.put("workerPid", task.workerPid());
        f.put("exitCode", task.exitCode().isPresent() ? task.exitCode().getAsInt() : null);
        f.put("signal", task.signal().isPresent() ? task.signal().getAsInt() : null);
        f.put("input", task.inputText());
        f.put("failedAt", instant(task.failedAt()));
        f.put("firstAttemptAt", instant(task.firstAttemptAt()));
        return f;
    }

    private static String instant(final Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public void close() {
        synchronized (scheduleLock) {
            closed = true;
            ticking = null;
        }
        thread.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
        listeners.clear();
    }
}
