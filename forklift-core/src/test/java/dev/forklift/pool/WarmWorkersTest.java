package dev.forklift.pool;

import dev.forklift.process.ChildOutput;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.process.internal.WarmHostClient;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Warm workers ({@link PoolBuilder#warmWorkers(boolean)}) with real worker JVMs and a real warm host: reuse by a
 * second pool of the same parent and by a pool of another JVM, crashes, another key, and the host's idle stop. Each
 * test gets a host of its own: a JVM option unique to the test is part of the host's key.
 */
@ProcessDeadline(seconds = 120)
class WarmWorkersTest {
    private static final Duration HOST_WARM = Duration.ofSeconds(60);
    private static final List<String> KEYS = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void restoreProperties() {
        System.clearProperty("forklift.warm.idleMs");
    }

    @AfterAll
    static void stopHosts() {
        KEYS.forEach(WarmHostClient::stopHost);
    }

    /** @return a JVM option that gives the test a host of its own. */
    private static String ownKey() {
        return "-Dforklift.test.warmKey=" + UUID.randomUUID();
    }

    private static String keyOf(final String... options) {
        final String key = WarmHostClient.key(javaBinary(), System.getProperty("java.class.path"),
            workerOptions(options)).orElseThrow();
        KEYS.add(key);
        return key;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The options a pool gives its workers: its own, after the pool's fixed one. */
    private static List<String> workerOptions(final String... options) {
        final List<String> all = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError"));
        all.addAll(List.of(options));
        return all;
    }

    private static Set<Long> awaitSpares(final String key, final int count) {
        Await.until(HOST_WARM, () -> WarmHostClient.sparePids(key).size() >= count,
            () -> count + " spare workers of host " + key + ": " + WarmHostClient.sparePids(key));
        return new HashSet<>(WarmHostClient.sparePids(key));
    }

    @Test
    void aSecondPoolOfTheSameParentGetsWarmWorkersThatRunItsTasksAndSendTheirOutput() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        final long coldStart = System.nanoTime();
        try (Pool first = Pool.builder().workers(2).name("warm-a").jvmOptions(option).warmWorkers(true).build()) {
            assertThat(first.submit((Integer x) -> x + 1, 1).get(30, TimeUnit.SECONDS)).isEqualTo(2);
            System.out.println("cold pool of 2 (starts the host), creation to first result: "
                + (System.nanoTime() - coldStart) / 1_000_000 + " ms");
        }
        final Set<Long> spare = awaitSpares(key, 2);
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        final long start = System.nanoTime();
        try (Pool second = Pool.builder().workers(2).name("warm-b").jvmOptions(option).warmWorkers(true)
            .output(ChildOutput.to(lines::add)).build()) {
            assertThat(second.submit((Integer x) -> x + 1, 41).get(30, TimeUnit.SECONDS)).isEqualTo(42);
            final long firstResultMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(new HashSet<>(second.workerPids())).isEqualTo(spare);
            final List<String> said = second.map((Integer x) -> {
                System.out.println("line from warm worker " + x);
                return "ok";
            }, List.of(7, 8));
            assertThat(said).containsExactly("ok", "ok");
            Await.until(Duration.ofSeconds(10), () -> lines.stream().filter(l -> l.contains("line from warm worker"))
                .count() == 2, () -> "both lines: " + lines);
            assertThat(lines).anyMatch(l -> l.matches("\\[warm-b-worker-\\d+ \\d+\\] line from warm worker 7"));
            System.out.println("warm pool of 2, creation to first result: " + firstResultMs + " ms");
        }
    }

    @Test
    void warmUpStartsAHostWhoseFirstSparesAlreadyRehearseAPoolWorkerAndRunItsTasks() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        final PoolBuilder builder = Pool.builder().workers(2).name("warm-hint").jvmOptions(option).warmWorkers(true);
        assertThat(builder.warmUp(HOST_WARM)).isTrue();
        final Set<Long> spare = awaitSpares(key, 2);
        for (final long pid : spare) {
            final List<String> arguments = ProcessHandle.of(pid).flatMap(p -> p.info().arguments())
                .map(List::of).orElse(List.of());
            assertThat(arguments).as("command line of spare " + pid)
                .contains("-Dforklift.warm.preload=" + dev.forklift.pool.internal.WorkerMain.class.getName());
        }
        try (Pool pool = builder.build()) {
            assertThat(pool.submit((Integer x) -> x * 2, 21).get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(new HashSet<>(pool.workerPids())).isEqualTo(spare);
        }
        awaitSpares(key, 2); // replaced after the lease (REPLENISH_DELAY_MS later)
    }

    @Test
    void aPoolBuiltWhileTheHostsSparesStillWarmRunsItsTasksInThem() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        // Spares of this hint rehearse until leased: they are still warming when the pool asks.
        assertThat(WarmHostClient.warmUp(System.getProperty("java.class.path"), workerOptions(option), 2,
            Duration.ofMillis(1), "dev.forklift.process.internal.WarmsUntilLeased")).isFalse();
        // The host is looked up again on each try: a search of the process table by command line can meet it while
        // `setsid` still execs it (its arguments briefly unreadable), so one found once may be missing the next time.
        final AtomicReference<Set<Long>> started = new AtomicReference<>(Set.of());
        Await.until(HOST_WARM, () -> {
            started.set(hostOf(key).map(WarmWorkersTest::warmingSpares).orElse(Set.of()));
            return started.get().size() >= 2;
        }, () -> "2 spares started by the host of " + key);
        final Set<Long> warming = started.get();
        assertThat(WarmHostClient.sparePids(key)).as("none ready yet").isEmpty();
        try (Pool pool = Pool.builder().workers(2).name("warm-early").jvmOptions(option).warmWorkers(true).build()) {
            assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3, 4))).containsExactly(2, 4, 6, 8);
            assertThat(new HashSet<>(pool.workerPids())).isEqualTo(warming);
        }
    }

    private static java.util.Optional<ProcessHandle> hostOf(final String key) {
        return ProcessHandle.allProcesses().filter(process -> process.info().arguments().map(List::of)
            .orElse(List.of()).contains(key)).filter(process -> process.info().arguments().map(List::of)
            .orElse(List.of()).contains("dev.forklift.process.internal.WarmHostMain")).findFirst();
    }

    private static Set<Long> warmingSpares(final ProcessHandle host) {
        return host.children().filter(child -> child.info().arguments().map(List::of).orElse(List.of())
            .contains("-Dforklift.role=warm")).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void aPoolInAnotherJvmOfTheSameUserGetsTheWarmWorkersOfTheHost() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        try (Pool first = Pool.builder().workers(2).name("warm-c").jvmOptions(option).warmWorkers(true).build()) {
            assertThat(first.submit((Integer x) -> x * 2, 2).get(30, TimeUnit.SECONDS)).isEqualTo(4);
        }
        final Set<Long> spare = awaitSpares(key, 2);
        final Path report = tmp.resolve("pids");
        try (ChildProcess other = ChildProcess.builder(WarmPoolParent.class).args(option, report.toString())
            .start()) {
            other.joinAndCheck(Duration.ofSeconds(60));
        }
        final Set<Long> used = Files.readAllLines(report).stream().map(Long::parseLong).collect(Collectors.toSet());
        assertThat(used).isEqualTo(spare);
    }

    @Test
    void aWarmWorkerKilledMidTaskIsACrashLikeAnyWorkersWithItsSignal() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        try (Pool first = Pool.builder().workers(2).name("warm-d").jvmOptions(option).warmWorkers(true).build()) {
            first.submit((Integer x) -> x, 1).get(30, TimeUnit.SECONDS);
        }
        final Set<Long> spare = awaitSpares(key, 2);
        try (Pool pool = Pool.builder().workers(2).name("warm-e").jvmOptions(option).warmWorkers(true)
            .retryPolicy(RetryPolicy.attempts(1)).build()) {
            assertThat(new HashSet<>(pool.workerPids())).isEqualTo(spare);
            final String marker = tmp.resolve("started").toString();
            final CompletableFuture<Long> victim = pool.submit((String file) -> Faults.announceAndWait(file), marker);
            Await.until(Duration.ofSeconds(30), () -> Files.exists(Path.of(marker)), () -> "the task to start");
            final long pid = Long.parseLong(Files.readString(Path.of(marker)));
            assertThat(spare).contains(pid);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertThatThrownBy(() -> victim.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WorkerCrashedException.class, crash -> {
                    assertThat(crash.pid()).isEqualTo(pid);
                    assertThat(crash.signal()).hasValue(9);
                });
            // The pool goes on with a replacement.
            assertThat(pool.submit((Integer x) -> x + 1, 5).get(60, TimeUnit.SECONDS)).isEqualTo(6);
            Await.until(Duration.ofSeconds(60), () -> pool.stats().liveWorkers() == 2, () -> "a replacement");
        }
    }

    @Test
    void otherJvmOptionsGetFreshWorkersNotTheSparesOfAnotherKey() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        try (Pool first = Pool.builder().workers(2).name("warm-f").jvmOptions(option).warmWorkers(true).build()) {
            first.submit((Integer x) -> x, 1).get(30, TimeUnit.SECONDS);
        }
        final Set<Long> spare = awaitSpares(key, 2);
        keyOf(option, "-Xmx96m");
        try (Pool other = Pool.builder().workers(2).name("warm-g").jvmOptions(option, "-Xmx96m").warmWorkers(true)
            .build()) {
            assertThat(other.submit((Integer x) -> x + 1, 1).get(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(other.workerPids()).doesNotContainAnyElementsOf(spare);
        }
        assertThat(new HashSet<>(WarmHostClient.sparePids(key))).isEqualTo(spare);
    }

    @Test
    void aHostStopsByItselfWhenIdleAndItsSparesWithIt() throws Exception {
        final String option = ownKey();
        final String key = keyOf(option);
        System.setProperty("forklift.warm.idleMs", "5000");
        try (Pool first = Pool.builder().workers(2).name("warm-h").jvmOptions(option).warmWorkers(true).build()) {
            first.submit((Integer x) -> x, 1).get(30, TimeUnit.SECONDS);
        }
        final Set<Long> spare = awaitSpares(key, 2);
        Await.until(Duration.ofSeconds(30), () -> WarmHostClient.sparePids(key).isEmpty()
            && spare.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
            () -> "the host and its spares to be gone: " + WarmHostClient.sparePids(key));
    }

    /** A parent JVM that builds a warm pool of 2 and writes its worker pids to a file. Args: option, file. */
    public static final class WarmPoolParent implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final String option = context.arg(0, String.class);
            try (Pool pool = Pool.builder().workers(2).name("warm-other").jvmOptions(option).warmWorkers(true)
                .build()) {
                if (pool.submit((Integer x) -> x + 1, 1).get(30, TimeUnit.SECONDS) != 2) {
                    throw new IllegalStateException("wrong result");
                }
                Files.write(Path.of(context.arg(1, String.class)), pool.workerPids().stream().map(String::valueOf)
                    .collect(Collectors.toList()));
            }
        }
    }
}
