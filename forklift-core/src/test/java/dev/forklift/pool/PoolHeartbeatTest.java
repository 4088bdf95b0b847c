package dev.forklift.pool;

import dev.forklift.process.ChildProcess;
import dev.forklift.queue.Queue;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import dev.forklift.testing.Sigstop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Worker heartbeats, with real worker JVMs and no task timeout: a stopped worker is found by its silence. The
 * heartbeat timeouts are short for the test (2-3 s, against a beat every 200 ms) but not so short that a loaded
 * machine could starve a worker's heartbeat thread that long.
 */
@ProcessDeadline(seconds = 120)
class PoolHeartbeatTest {
    @TempDir
    Path tmp;

    @Test
    void aSigstoppedWorkerWithoutATaskTimeoutIsKilledForItsStaleHeartbeatAndItsTaskRetriedOnAFreshWorker()
        throws Exception {
        final String marker = tmp.resolve("started").toString();
        try (Pool pool = Pool.builder().workers(1).name("heartbeat").heartbeatTimeout(Duration.ofSeconds(3))
            .retryPolicy(RetryPolicy.attempts(3)).build()) {
            final CompletableFuture<Long> task = pool.submit((String file) -> Faults.announceAndWait(file), marker);
            Await.until(Duration.ofSeconds(30), () -> Files.exists(Path.of(marker)), () -> "the task to start");
            final long pid = Long.parseLong(Files.readString(Path.of(marker)));
            Sigstop.stop(pid, Duration.ofSeconds(10));
            // The second attempt, on a fresh worker, finds the marker and returns at once.
            assertThat(task.get(60, TimeUnit.SECONDS)).isEqualTo(-1L);
            final PoolStats stats = pool.stats();
            assertThat(stats.heartbeatKills()).as("%s", stats).isEqualTo(1);
            assertThat(stats.workerCrashes()).as("%s", stats).isEqualTo(1);
            assertThat(stats.retries()).as("%s", stats).isEqualTo(1);
            Await.until(Duration.ofSeconds(10), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false), () -> "the stopped worker to be gone");
            assertThat(pool.workerPids()).doesNotContain(pid);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }

    @Test
    void withoutRetriesTheTaskFailsAsACrashWhoseCauseNamesTheStaleHeartbeatAndThePid() throws Exception {
        final String marker = tmp.resolve("started").toString();
        try (Pool pool = Pool.builder().workers(1).name("heartbeat-once").heartbeatTimeout(Duration.ofSeconds(2))
            .retryPolicy(RetryPolicy.none()).build()) {
            final CompletableFuture<Long> task = pool.submit((String file) -> Faults.announceAndWait(file), marker);
            Await.until(Duration.ofSeconds(30), () -> Files.exists(Path.of(marker)), () -> "the task to start");
            final long pid = Long.parseLong(Files.readString(Path.of(marker)));
            Sigstop.stop(pid, Duration.ofSeconds(10));
            assertThatThrownBy(() -> task.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkerCrashedException.class)
                .hasMessageContaining("pid " + pid).hasMessageContaining("heartbeat was stale")
                .hasCauseInstanceOf(WorkerUnresponsiveException.class);
            final WorkerCrashedException crash = (WorkerCrashedException) task.handle((v, e) -> e).get();
            assertThat(crash.signal()).hasValue(9);
            final WorkerUnresponsiveException cause = (WorkerUnresponsiveException) crash.getCause();
            assertThat(cause.pid()).isEqualTo(pid);
            assertThat(cause.heartbeatTimeoutMs()).isEqualTo(2000);
            assertThat(cause.silentMs()).isGreaterThan(2000);
            final List<FailedTask> failed = pool.failedTasks();
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).workerPid()).isEqualTo(pid);
            assertThat(failed.get(0).signal()).hasValue(9);
            assertThat(failed.get(0).errorClass()).isEqualTo(WorkerCrashedException.class.getName());
            assertThat(failed.get(0).stackTrace()).contains("heartbeat was stale");
            // The pool goes on with a fresh worker.
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void aTaskLongerThanTheHeartbeatTimeoutStillBeatsAndIsNotKilled() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("heartbeat-long").heartbeatTimeout(Duration.ofSeconds(3))
            .retryPolicy(RetryPolicy.none()).build()) {
            final long pid = pool.workerPids().get(0);
            assertThat(pool.submit((Long ms) -> {
                Faults.sleep(ms);
                return ProcessHandle.current().pid();
            }, 8_000L).get(60, TimeUnit.SECONDS)).isEqualTo(pid);
            assertThat(pool.stats().heartbeatKills()).isZero();
            assertThat(pool.stats().workerCrashes()).isZero();
        }
    }

    @Test
    void aWholeJobStoppedLongerThanTheHeartbeatTimeoutResumesWithoutKillingAWorker() throws Exception {
        final Path out = tmp.resolve("results.txt");
        final int n = 600;
        try (Queue<String> report = Queue.create(String.class);
             ChildProcess parent = ChildProcess.builder(StoppableParent.class).role("parent")
                 .args(report, out.toString(), n, 2_000L).start()) {
            final String flowing = report.poll(60, TimeUnit.SECONDS);
            assertThat(flowing).startsWith("flowing ");
            final List<Long> workers = Arrays.stream(flowing.substring("flowing ".length()).split(" "))
                .map(Long::parseLong).collect(Collectors.toList());
            // As a shell stops a job: the parent and its workers, for longer than the heartbeat timeout.
            Sigstop.stop(parent.pid(), Duration.ofSeconds(10));
            for (final long worker : workers) {
                Sigstop.stop(worker, Duration.ofSeconds(10));
            }
            Thread.sleep(4_000);
            // The parent first: it looks at the heartbeats before the workers run again.
            Sigstop.resume(parent.pid());
            for (final long worker : workers) {
                Sigstop.resume(worker);
            }
            assertThat(report.poll(60, TimeUnit.SECONDS)).isEqualTo("stats 0 0");
            assertThat(parent.join(Duration.ofSeconds(60))).isTrue();
            assertThat(parent.exitStatus().orElseThrow().isSuccess()).isTrue();
            StoppableParent.assertEveryResultExactlyOnce(out, n);
        }
    }

    @Test
    void theHeartbeatTimeoutIsValidatedWithTheBadValueNamed() {
        assertThatThrownBy(() -> Pool.builder().heartbeatTimeout(Duration.ofMillis(500)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatTimeout=PT0.5S");
        assertThatThrownBy(() -> Pool.builder().heartbeatTimeout(null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatTimeout=null");
    }
}
