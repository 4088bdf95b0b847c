package dev.forklift.pool;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Recycling, initializers, shutdown, and the end of the parent, with real worker JVMs. */
@ProcessDeadline(seconds = 90)
class PoolLifecycleTest {
    /** A parent JVM that runs a pool, reports its worker pids, and waits with a task in flight. */
    public static final class PoolParent implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<String> report = context.arg(0, Queue.class);
            final Pool pool = Pool.builder().workers(2).name("parent-" + context.pid()).build();
            pool.submit((Long ms) -> {
                Faults.sleep(ms);
                return ms;
            }, 60_000L);
            for (final long pid : pool.workerPids()) {
                report.put(Long.toString(pid));
            }
            Thread.sleep(60_000);
        }
    }

    @Test
    void recyclingAfterMaxTasksPerWorkerLosesNoTaskAndEveryWorkerIsInitialized() throws Exception {
        try (Pool pool = Pool.builder().workers(2).name("recycle").maxTasksPerWorker(3)
            .initializer(() -> System.setProperty("pool.init", "done")).build()) {
            final List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(pool.submit((Integer x) -> x + ":" + System.getProperty("pool.init") + ":"
                    + ProcessHandle.current().pid(), i));
            }
            final Set<String> pids = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                final String[] parts = futures.get(i).get(60, TimeUnit.SECONDS).split(":");
                assertThat(parts[0]).isEqualTo(Integer.toString(i));
                assertThat(parts[1]).isEqualTo("done");
                pids.add(parts[2]);
            }
            assertThat(pids).hasSizeGreaterThanOrEqualTo(4);
            final List<Integer> mapped = pool.map((Integer x) -> -x, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
            assertThat(mapped).containsExactly(-1, -2, -3, -4, -5, -6, -7, -8, -9, -10);
            assertThat(pool.stats().workerCrashes()).isZero();
            assertThat(pool.stats().retries()).isZero();
        }
    }

    @Test
    void shutdownNowStopsAtOnceAndReturnsWhatDidNotFinish() throws Exception {
        final Pool pool = Pool.builder().workers(1).name("stop-now").build();
        final List<Long> pids = pool.workerPids();
        final List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long i = 0; i < 4; i++) {
            futures.add(pool.submit((Long ms) -> {
                Faults.sleep(ms);
                return ms;
            }, 30_000L + i));
        }
        Await.until(Duration.ofSeconds(10), () -> pool.stats().runningTasks() > 0, () -> "a task to run");
        final List<UnfinishedTask> unfinished = pool.shutdownNow(Duration.ofSeconds(5));
        assertThat(unfinished).extracting(UnfinishedTask::input).containsExactlyInAnyOrder(30_000L, 30_001L,
            30_002L, 30_003L);
        for (final CompletableFuture<Long> future : futures) {
            assertThat(future).isCancelled();
            assertThatThrownBy(() -> future.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        }
        assertThat(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(pool.shutdownNow(Duration.ofSeconds(1))).isEmpty();
        pool.close();
        assertThatThrownBy(() -> pool.submit((Integer x) -> x, 1)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aFailingInitializerBreaksThePoolInsteadOfLoopingForever() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("bad-init").initializer(() -> {
            throw new IllegalStateException("no database");
        }).build()) {
            final CompletableFuture<Integer> task = pool.submit((Integer x) -> x, 1);
            assertThatThrownBy(() -> task.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RemoteTaskException.class).hasMessageContaining("no database");
            assertThatThrownBy(() -> pool.submit((Integer x) -> x, 2)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("broken");
            assertThat(pool.stats().workersStarted()).isEqualTo(3);
        }
    }

    @Test
    void ctrlCOrKillMinus9OfTheParentLeavesNoWorker() throws Exception {
        try (Queue<String> interrupted = Queue.create(String.class);
             Queue<String> killed = Queue.create(String.class);
             ChildProcess first = ChildProcess.builder(PoolParent.class).role("parent").args(interrupted).start();
             ChildProcess second = ChildProcess.builder(PoolParent.class).role("parent").args(killed).start()) {
            final List<Long> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(Long.parseLong(interrupted.poll(60, TimeUnit.SECONDS)));
                workers.add(Long.parseLong(killed.poll(60, TimeUnit.SECONDS)));
            }
            assertThat(workers).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
            new ProcessBuilder("kill", interruptSignal(), Long.toString(first.pid())).start().waitFor();
            new ProcessBuilder("kill", "-9", Long.toString(second.pid())).start().waitFor();
            assertThat(first.join(Duration.ofSeconds(20))).isTrue();
            assertThat(second.join(Duration.ofSeconds(20))).isTrue();
            Await.until(Duration.ofSeconds(10), () -> workers.stream().noneMatch(pid -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive).orElse(false)), () -> "every worker to be gone: " + workers);
        }
    }

    /**
     * Ctrl-C (SIGINT) where it can reach a process. A process started in the background by a non-interactive shell
     * inherits SIGINT ignored, the JVM then leaves it ignored, and so do its children: there Ctrl-C cannot stop
     * the parent at all, and SIGTERM (which also runs the JVM's shutdown hooks) stands in for it.
     */
    private static String interruptSignal() throws java.io.IOException {
        for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                final long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                final long sigint = 1L << (2 - 1);
                return (ignored & sigint) != 0 ? "-TERM" : "-INT";
            }
        }
        return "-INT";
    }
}
