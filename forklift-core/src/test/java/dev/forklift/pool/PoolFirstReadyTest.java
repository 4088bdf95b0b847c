package dev.forklift.pool;

import dev.forklift.process.ChildStartException;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import dev.forklift.testing.RecordingHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pool's build returns once its first worker is ready: its first task runs there while the other workers still
 * start, and every reliability promise of the start holds (real child JVMs; a worker is slowed or made to fail its
 * start with the test hook {@code -Dforklift.test.slowStart=NAME:MS[:EXIT]} of {@code ChildMain}).
 */
@ProcessDeadline(seconds = 120)
class PoolFirstReadyTest {
    /** How long the slow worker waits before it reports ready: far longer than a worker's start. */
    private static final long SLOW_MS = 30_000;

    @Test
    void theFirstResultArrivesWhileTheSecondWorkerIsStillStartingAndCloseDoesNotWaitForIt() throws Exception {
        final String hook = "-Dforklift.test.slowStart=firstready-worker-2:" + SLOW_MS;
        final long startNs = System.nanoTime();
        final Pool pool = Pool.builder().workers(2).name("firstready").jvmOptions(hook).build();
        try {
            final long pid = pool.submit((Integer x) -> ProcessHandle.current().pid(), 1).get(60, TimeUnit.SECONDS);
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            assertThat(elapsedMs).as("build to first result, ms (the slow worker waits %d ms)", SLOW_MS)
                .isLessThan(SLOW_MS - 5_000);
            assertThat(pool.stats().liveWorkers()).as("workers ready when the first result came").isEqualTo(1);
            // On a small machine the slow worker is launched only once the first is ready (staggered start), so
            // it may come a moment after the first result.
            Await.until(Duration.ofSeconds(30), () -> slowChildren(hook).size() == 2,
                () -> "the worker that ran the task and the slow one, still starting: " + slowChildren(hook));
            assertThat(slowChildren(hook)).as("the worker that ran the task and the slow one, still starting")
                .hasSize(2).contains(pid);
        } finally {
            final long closeNs = System.nanoTime();
            pool.close();
            assertThat((System.nanoTime() - closeNs) / 1_000_000).as("close, ms: the starting worker is killed")
                .isLessThan(SLOW_MS - 5_000);
        }
        assertThat(slowChildren(hook)).as("no worker JVM left after close").isEmpty();
    }

    @Test
    void aWorkerThatFailsItsStartAfterTheFirstIsReadyIsReportedWithItsExitCodeAndReplaced() throws Exception {
        final String hook = "-Dforklift.test.slowStart=latefail-worker-2:8000:7";
        try (RecordingHandler log = RecordingHandler.attach("dev.forklift.pool");
             Pool pool = Pool.builder().workers(2).name("latefail").jvmOptions(hook).build()) {
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            Await.until(Duration.ofSeconds(60), () -> !log.messages(Level.WARNING).isEmpty(),
                () -> "a warning about the failed start: " + log.records());
            assertThat(log.messages(Level.WARNING)).anySatisfy(m -> assertThat(m)
                .contains("latefail", "could not start", "latefail-worker-2", "pid ", "code 7",
                    "failing its start on purpose"));
            Await.until(Duration.ofSeconds(60), () -> pool.stats().liveWorkers() == 2,
                () -> "a replacement worker: " + pool.stats());
            assertThat(pool.stats().workerCrashes()).isEqualTo(1);
            assertThat(pool.stats().workersStarted()).isEqualTo(2);
            assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3, 4))).containsExactly(2, 4, 6, 8);
        }
    }

    @Test
    void aWorkerThatFailsBeforeAnyIsReadyFailsTheBuildWithItsReasonAndLeavesNoWorkerRunning() {
        final String hook = "-Dforklift.test.slowStart=earlyfail-worker-1:0:7,earlyfail-worker-2:" + SLOW_MS;
        final long startNs = System.nanoTime();
        assertThatThrownBy(() -> Pool.builder().workers(2).name("earlyfail").jvmOptions(hook).build())
            .isInstanceOf(ChildStartException.class)
            .hasMessageContaining("earlyfail-worker-1").hasMessageContaining("code 7")
            .hasMessageContaining("failing its start on purpose");
        assertThat((System.nanoTime() - startNs) / 1_000_000).as("the build did not wait for the slow worker")
            .isLessThan(SLOW_MS - 5_000);
        assertThat(slowChildren(hook)).as("no worker JVM left").isEmpty();
        assertThat(poolThreads("earlyfail")).as("the pool's threads of a failed build").isEmpty();
    }

    @Test
    void thePoolsDispatcherAndCollectorRunWhileItsFirstWorkersStart() throws Exception {
        final String hook = "-Dforklift.test.slowStart=earlythreads-worker-1:4000";
        final java.util.concurrent.CompletableFuture<Pool> build = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> Pool.builder().workers(1).name("earlythreads").jvmOptions(hook).build());
        try {
            Await.until(Duration.ofSeconds(60), () -> poolThreads("earlythreads").size() == 2 || build.isDone(),
                () -> "the pool's threads: " + poolThreads("earlythreads"));
            assertThat(build.isDone()).as("the build waits for its slow worker").isFalse();
            assertThat(poolThreads("earlythreads")).containsExactlyInAnyOrder("earlythreads-dispatcher",
                "earlythreads-collector");
        } finally {
            try (Pool pool = build.get(60, TimeUnit.SECONDS)) {
                assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            }
        }
        Await.until(Duration.ofSeconds(10), () -> poolThreads("earlythreads").isEmpty(),
            () -> "the pool's threads after close: " + poolThreads("earlythreads"));
    }

    @Test
    void workerPidsListsEveryWorkerOnceTheStartsEnded() {
        try (Pool pool = Pool.builder().workers(2).name("allpids")
            .jvmOptions("-Dforklift.test.slowStart=allpids-worker-2:2000").build()) {
            assertThat(pool.workerPids()).hasSize(2);
        }
    }

    /** @return the names of this JVM's live dispatcher and collector threads of the pool. */
    private static List<String> poolThreads(final String poolName) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(name -> name.equals(poolName + "-dispatcher") || name.equals(poolName + "-collector")).toList();
    }

    /** @return the pids of live child JVMs of this one started with the hook. */
    private static List<Long> slowChildren(final String hook) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
            .filter(p -> p.info().arguments().map(args -> List.of(args).contains(hook)).orElse(false)
                || p.info().commandLine().map(line -> line.contains(hook)).orElse(false))
            .map(ProcessHandle::pid).toList();
    }
}
