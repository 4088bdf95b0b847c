package dev.forklift.cli.chaos;

import dev.forklift.cli.dashboard.DashboardOption;
import dev.forklift.dashboard.Dashboard;
import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.OptionValues;
import dev.forklift.cli.OsProcessInfo;
import dev.forklift.cli.progress.ProgressBar;
import dev.forklift.cli.run.Durations;
import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.Pipeline;
import dev.forklift.pipeline.PipelineResult;
import dev.forklift.pipeline.Sources;
import dev.forklift.pipeline.Stage;
import dev.forklift.pool.Outcome;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.process.ChildOutput;
import dev.forklift.process.ProcessTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * {@code forklift chaos}: runs a pool workload and a pipeline workload side by side while killing random pool
 * workers and pipeline producers with SIGKILL at random times, then checks that every input has exactly one
 * result. Prints tasks, kills, retries, lost, duplicates and peak memory; exit code 1 if anything was lost,
 * duplicated or wrong, if a pool input failed after its retries or was cancelled, or if the run stalled
 * ({@link ChaosVerdict}).
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Run a pool and a pipeline workload while killing random workers and producers (kill -9), then "
        + "check that every input has exactly one result.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:nothing lost or duplicated", "1:an input was lost, duplicated, wrong, failed or cancelled, or "
        + "the run stalled",
        "2:usage error"})
public final class ChaosCommand implements Callable<Integer> {
    private static final int POOL_ROUND = 2_000;
    private static final int PIPELINE_FILES = 4;
    private static final int PIPELINE_LINES = 600;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "1", description = "How long to run, in minutes; "
        + "fractions allowed, such as 0.25 (default ${DEFAULT-VALUE}); each workload runs at least one round.")
    private double minutes;

    @Option(names = "--kill-every", paramLabel = "DURATION", defaultValue = "3s", description = "Mean time between "
        + "kills, such as 500ms, 3s, 2m; each wait is drawn from 0.5x to 1.5x of it (default ${DEFAULT-VALUE}).")
    private String killEvery;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "Pool workers (1-64, default "
        + "${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--producers", paramLabel = "N", defaultValue = "2", description = "Pipeline producers (1-64, "
        + "default ${DEFAULT-VALUE}).")
    private int producers;

    @Option(names = "--stall-limit", paramLabel = "DURATION", defaultValue = "90s", description = "Time without any "
        + "result after which the run counts as hung (default ${DEFAULT-VALUE}).")
    private String stallLimitText;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the kill schedule (default: random).")
    private Long seed;

    @Option(names = "--cluster", description = "Chaos across a cluster instead: a broker, two worker hosts and a "
        + "caller on this machine, under kill -9 of workers, hosts and the broker and SIGSTOP of hosts.")
    private boolean cluster;

    @Option(names = "--quiet", description = "Show no progress on standard error (a line every 5 s when it is not a "
        + "terminal).")
    private boolean quiet;

    private final AtomicLong progress = new AtomicLong();
    private final AtomicReference<Throwable> workloadError = new AtomicReference<>();
    private volatile Pool pool;
    private volatile long peakHeap;
    private volatile long peakRss;

    // pool figures
    private long poolTasks;
    private long poolRounds;
    private long poolLost;
    private long poolDuplicates;
    private long poolWrong;
    private long poolFailed;
    /** Inputs cancelled by the shutdown after a stall: not failures of the inputs themselves. */
    private long poolCancelled;
    /** Failed inputs by error, with the first message of each. */
    private final Map<String, String> poolFailureKinds = new java.util.TreeMap<>();
    private final Map<String, Long> poolFailureCounts = new java.util.TreeMap<>();
    private volatile List<dev.forklift.pool.FailedTask> poolFailedRecords = List.of();
    private volatile PoolStats poolStats;
    // pipeline figures
    private long pipeItems;
    private long pipeRounds;
    private long pipeLost;
    private long pipeDuplicates;
    private long pipeRestarts;
    private long pipeDropped;
    private long pipeFailures;
    /** Lines of sources the pipeline gave up on after its producer restarts, each with a failure record. */
    private long pipeGivenUp;
    // killer figures
    private final AtomicLong workerKills = new AtomicLong();
    private final AtomicLong producerKills = new AtomicLong();

    /** {@code --dashboard [PORT]} and {@code --allow-actions}: the live page of this job. */
    @CommandLine.Mixin
    private final DashboardOption dashboard = new DashboardOption();

    @Override
    public Integer call() throws Exception {
        try (Dashboard page = dashboard.start(spec.commandLine().getErr())) {
            return runWithoutPage();
        }
    }

    /** The command itself; {@link #call} serves the {@code --dashboard} page around it. */
    private Integer runWithoutPage() throws Exception {
        if (!(minutes > 0) || minutes > 24 * 60) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--minutes must be in (0, 1440]: " + minutes);
        }
        final Duration meanKill;
        try {
            meanKill = Durations.parse(killEvery);
        } catch (final IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kill-every: " + ex.getMessage());
        }
        final Duration stallLimit;
        try {
            stallLimit = Durations.parse(stallLimitText);
        } catch (final IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stall-limit: " + ex.getMessage());
        }
        if (meanKill.toMillis() < 10) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kill-every must be at least 10ms: "
                + killEvery);
        }
        OptionValues.inRange(spec.commandLine(), "--workers", workers, 1, 64);
        OptionValues.inRange(spec.commandLine(), "--producers", producers, 1, 64);
        final long actualSeed = seed != null ? seed : new Random().nextLong();
        final PrintWriter out = spec.commandLine().getOut();
        final long durationMs = Math.round(minutes * 60_000);
        if (cluster) {
            return new ClusterChaos().run(durationMs, meanKill, actualSeed, stallLimit, out,
                spec.commandLine().getErr()) ? ExitCodes.OK : ExitCodes.FAILURE;
        }
        out.printf("chaos: %s, kill -9 every %s on average (seed %d), %d pool workers, %d pipeline producers%n",
            durationMs >= 60_000 ? String.format("%.2f min", durationMs / 60_000.0) : (durationMs / 1000.0) + " s",
            killEvery, actualSeed, workers, producers);
        out.flush();

        final Path dir = Files.createTempDirectory("forklift-chaos");
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + durationMs * 1_000_000L;
        final List<Path> files = writeInputs(dir);
        final Thread poolThread = daemon("chaos-pool", () -> poolWorkload(deadlineNs));
        final Thread pipeThread = daemon("chaos-pipeline", () -> pipelineWorkload(files, deadlineNs));
        final Thread killer = daemon("chaos-killer", () -> killLoop(new Random(actualSeed), meanKill, deadlineNs));
        poolThread.start();
        pipeThread.start();
        killer.start();
        boolean stalled = false;
        long lastProgress = 0;
        long lastChangeNs = System.nanoTime();
        try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), ProgressBar.detectMode(quiet), "chaos",
            ProgressBar.DEFAULT_PLAIN_INTERVAL_MS)) {
            bar.expectedDuration(Duration.ofMillis(durationMs));
            bar.detail(() -> "kills " + (workerKills.get() + producerKills.get()));
            while (poolThread.isAlive() || pipeThread.isAlive()) {
                sampleMemory();
                Thread.sleep(200);
                final long now = progress.get();
                if (now != lastProgress) {
                    bar.addDone(now - lastProgress);
                    lastProgress = now;
                    lastChangeNs = System.nanoTime();
                } else if (System.nanoTime() - lastChangeNs > stallLimit.toNanos()) {
                    stalled = true;
                    break;
                }
            }
        }
        killer.interrupt();
        killer.join(5_000);
        final Pool running = pool;
        if (stalled) {
            diagnose(spec.commandLine().getErr(), running);
        }
        if (stalled && running != null) {
            // Every input in flight fails with a CancellationException: counted as cancelled, not as failed.
            running.shutdownNow(Duration.ofSeconds(5));
            poolThread.join(10_000);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        deleteQuietly(dir);

        final PoolStats stats = poolStats;
        final long lost = poolLost + pipeLost;
        final long duplicates = poolDuplicates + pipeDuplicates;
        out.printf("duration:  %.1f s on %d cores (%s %s, Java %s)%n", seconds,
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
            System.getProperty("java.version"));
        out.printf("pool:      tasks %d in %d rounds, kills %d, crashes %d, charged retries %d, "
                + "failed after retries %d, lost %d, duplicates %d, wrong %d%s%n", poolTasks, poolRounds,
            workerKills.get(),
            stats == null ? 0 : stats.workerCrashes(), stats == null ? 0 : stats.retries(), poolFailed, poolLost,
            poolDuplicates, poolWrong, poolCancelled == 0 ? "" : ", cancelled at stop " + poolCancelled);
        if (poolFailed > 0) {
            reportFailures(spec.commandLine().getErr());
        }
        out.printf("pipeline:  items %d in %d rounds, kills %d, producer restarts %d, re-read items dropped %d, "
                + "failures %d, lost %d, duplicates %d%s%n", pipeItems, pipeRounds, producerKills.get(), pipeRestarts,
            pipeDropped, pipeFailures, pipeLost, pipeDuplicates,
            pipeGivenUp == 0 ? "" : ", lines of sources given up after restarts (recorded) " + pipeGivenUp);
        out.printf("totals:    tasks %d, kills %d, retries %d, lost %d, duplicates %d%n", poolTasks + pipeItems,
            workerKills.get() + producerKills.get(), (stats == null ? 0 : stats.retries()) + pipeRestarts, lost,
            duplicates);
        out.printf("memory:    peak parent heap %d MB, peak RSS of all processes %d MB%n", peakHeap >> 20,
            peakRss >> 20);
        final ChaosVerdict verdict = new ChaosVerdict(stalled, stallLimit.toSeconds(), workloadError.get(), lost,
            duplicates, poolWrong, poolFailed, poolCancelled);
        out.printf("result:    %s%n", verdict.line());
        out.flush();
        return verdict.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    // ---- pool workload ---------------------------------------------------------------------------------------

    private void poolWorkload(final long deadlineNs) {
        try (Pool p = Pool.builder().name("chaos-pool").workers(workers).retryPolicy(RetryPolicy.attempts(10))
            .output(ChildOutput.discard()).build()) {
            pool = p;
            dashboard.showFailuresOf(p);
            long base = 0;
            // At least one round, however slowly the pool starts: a run always exercises both workloads.
            do {
                final long first = base;
                final Iterator<Outcome<Long, Long>> outcomes = p.imapOutcomes(ChaosCommand::poolTask,
                    LongStream.range(first, first + POOL_ROUND).boxed().iterator(), false);
                final Map<Long, Integer> seen = new HashMap<>();
                while (outcomes.hasNext()) {
                    final Outcome<Long, Long> outcome = outcomes.next();
                    seen.merge(outcome.input(), 1, Integer::sum);
                    progress.incrementAndGet();
                    if (outcome.error() instanceof java.util.concurrent.CancellationException) {
                        poolCancelled++;
                    } else if (outcome.error() != null) {
                        poolFailed++;
                        final String kind = outcome.error().getClass().getName();
                        poolFailureCounts.merge(kind, 1L, Long::sum);
                        poolFailureKinds.putIfAbsent(kind, String.valueOf(outcome.error().getMessage()));
                    } else if (outcome.result() != expected(outcome.input())) {
                        poolWrong++;
                    }
                }
                for (long x = first; x < first + POOL_ROUND; x++) {
                    final int count = seen.getOrDefault(x, 0);
                    if (count == 0) {
                        poolLost++;
                    } else if (count > 1) {
                        poolDuplicates += count - 1;
                    }
                }
                poolTasks += POOL_ROUND;
                poolRounds++;
                base += POOL_ROUND;
                poolStats = p.stats();
                poolFailedRecords = p.failedTasks();
            } while (System.nanoTime() < deadlineNs);
            poolStats = p.stats();
            poolFailedRecords = p.failedTasks();
        } catch (final RuntimeException | Error ex) {
            workloadError.compareAndSet(null, ex);
        }
    }

    /** The pool inputs that failed after their retries: counts by error, a message each, the last records. */
    private void reportFailures(final PrintWriter err) {
        poolFailureCounts.forEach((kind, count) -> err.println("chaos: pool failures: " + count + " x " + kind
            + ", first: " + poolFailureKinds.get(kind)));
        final List<dev.forklift.pool.FailedTask> records = poolFailedRecords;
        for (final dev.forklift.pool.FailedTask record : records.subList(Math.max(0, records.size() - 3),
            records.size())) {
            err.println("chaos: failed task record: input " + record.inputText() + ", attempts " + record.attempts()
                + ", " + record.errorClass() + ": " + record.errorMessage() + ", worker pid " + record.workerPid()
                + ", exit code " + record.exitCode() + ", signal " + record.signal() + ", first attempt "
                + record.firstAttemptAt() + ", failed " + record.failedAt());
        }
        err.flush();
    }

    /** About a millisecond, mostly asleep (the machine may be small), then a checkable result. */
    static long poolTask(final Long x) {
        try {
            Thread.sleep(1);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        long h = x;
        for (int i = 0; i < 2_000; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
        }
        sink = h;
        return expected(x);
    }

    @SuppressWarnings("unused")
    private static volatile long sink;

    static long expected(final long x) {
        return x * 31 + 7;
    }

    // ---- pipeline workload -----------------------------------------------------------------------------------

    private static List<Path> writeInputs(final Path dir) throws IOException {
        final List<Path> files = new ArrayList<>();
        for (int f = 0; f < PIPELINE_FILES; f++) {
            final StringBuilder text = new StringBuilder();
            for (int i = 0; i < PIPELINE_LINES; i++) {
                text.append("file").append(f).append("-line").append(i).append('\n');
            }
            final Path file = dir.resolve("input-" + f + ".txt");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            files.add(file);
        }
        return files;
    }

    private void pipelineWorkload(final List<Path> files, final long deadlineNs) {
        try {
            do { // at least one round, as the pool's
                final Map<String, Integer> seen = new HashMap<>();
                final PipelineResult result;
                try (Pipeline<String> pipeline = Pipeline.read(String.class, Sources.lines(files)).name("chaos-pipe")
                    .producers(producers).map("mark", (Stage<String, String>) (line, emitter) -> {
                        Thread.sleep(1);
                        emitter.emit(line + "!");
                    }, String.class).producerRestarts(10).errorPolicy(ErrorPolicy.skipAndRecord()).build()) {
                    result = pipeline.run(item -> {
                        seen.merge(item, 1, Integer::sum);
                        progress.incrementAndGet();
                    });
                }
                for (int f = 0; f < PIPELINE_FILES; f++) {
                    final boolean givenUp = givenUp(result, files.get(f));
                    for (int i = 0; i < PIPELINE_LINES; i++) {
                        final int count = seen.getOrDefault("file" + f + "-line" + i + "!", 0);
                        if (count == 0 && givenUp) {
                            pipeGivenUp++;
                        } else if (count == 0) {
                            pipeLost++;
                        } else if (count > 1) {
                            pipeDuplicates += count - 1;
                        }
                    }
                }
                pipeItems += (long) PIPELINE_FILES * PIPELINE_LINES;
                pipeRounds++;
                pipeRestarts += result.producerRestarts();
                pipeDropped += result.duplicatesDropped();
                pipeFailures += result.failures().size();
                result.failures().forEach(record -> spec.commandLine().getErr().println("chaos: pipeline failure "
                    + "record: " + record.toJson()));
            } while (System.nanoTime() < deadlineNs);
        } catch (final Exception | Error ex) {
            workloadError.compareAndSet(null, ex);
        }
    }

    /**
     * @return true if the run recorded that it gave up reading the file (its producer died more often than
     * {@code producerRestarts} allows): its missing lines are accounted failures of the policy, not losses.
     */
    private static boolean givenUp(final PipelineResult result, final Path file) {
        return result.failures().stream()
            .anyMatch(record -> "read".equals(record.stage()) && record.source().equals(file.toString()));
    }

    // ---- killer and memory -----------------------------------------------------------------------------------

    private void killLoop(final Random random, final Duration mean, final long deadlineNs) {
        try {
            while (System.nanoTime() < deadlineNs) {
                Thread.sleep((long) (mean.toMillis() * (0.5 + random.nextDouble())));
                final Pool p = pool;
                final Set<Long> poolWorkers = p == null ? Set.of() : new HashSet<>(p.workerPids());
                final List<ProcessHandle> candidates = victims();
                if (candidates.isEmpty()) {
                    continue;
                }
                final ProcessHandle victim = candidates.get(random.nextInt(candidates.size()));
                if (victim.destroyForcibly()) {
                    (poolWorkers.contains(victim.pid()) ? workerKills : producerKills).incrementAndGet();
                }
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Children of this JVM that run their task: pool workers past their start ("working") and producers reading
     * ("reading"), from the status boards. A process killed while it starts is a failed start, another fault.
     */
    private static List<ProcessHandle> victims() {
        final long self = ProcessHandle.current().pid();
        return ProcessTable.snapshot().stream()
            .filter(row -> row.parentPid() == self && row.alive()
                && ("working".equals(row.state()) || "reading".equals(row.state())))
            .map(row -> ProcessHandle.of(row.pid())).flatMap(java.util.Optional::stream)
            // Only a live process whose parent is this JVM: a pid read from a board may have been reused by an
            // unrelated process once the child was reaped. The handle then remembers the process's start time, so
            // destroying it later cannot hit a process that took the pid after this check.
            .filter(handle -> handle.isAlive() && handle.parent().map(ProcessHandle::pid).orElse(-1L) == self)
            .sorted(Comparator.comparingLong(ProcessHandle::pid))
            .collect(Collectors.toList());
    }

    /** After a stall: what the pool, the processes and this JVM's threads were doing, on standard error. */
    private static void diagnose(final PrintWriter err, final Pool running) {
        err.println("chaos: stalled; pool stats: " + (running == null ? "none" : running.stats()));
        final long self = ProcessHandle.current().pid();
        for (final dev.forklift.process.ProcessRow row : ProcessTable.snapshot()) {
            if (row.parentPid() == self || row.pid() == self) {
                err.println("chaos: process " + row.pid() + " " + row.role() + " " + row.name() + " state="
                    + row.state() + " items=" + row.itemsDone() + " alive=" + row.alive());
            }
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            err.println("chaos: thread " + thread.getName() + " " + thread.getState());
            for (int i = 0; i < Math.min(12, stack.length); i++) {
                err.println("chaos:     at " + stack[i]);
            }
        });
        err.flush();
    }

    private void sampleMemory() {
        final Runtime runtime = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, runtime.totalMemory() - runtime.freeMemory());
        final long self = ProcessHandle.current().pid();
        long rss = OsProcessInfo.residentBytes(self).orElse(0L);
        try (Stream<ProcessHandle> all = ProcessHandle.current().descendants()) {
            for (final ProcessHandle handle : (Iterable<ProcessHandle>) all::iterator) {
                rss += OsProcessInfo.residentBytes(handle.pid()).orElse(0L);
            }
        }
        peakRss = Math.max(peakRss, rss);
    }

    private static Thread daemon(final String name, final Runnable body) {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void deleteQuietly(final Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (final IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (final IOException | UncheckedIOException ignored) {
            // a temporary directory: left for the system to clean
        }
    }
}
