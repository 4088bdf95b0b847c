package dev.forklift.pool;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failed-task records ({@link Pool#failedTasks()}) with real worker JVMs. */
@ProcessDeadline(seconds = 120)
class PoolFailedTasksTest {
    static Integer failOnMultiplesOfSeven(final Integer x) {
        if (x % 7 == 0) {
            throw new IllegalStateException("bad input " + x);
        }
        return x;
    }

    @Test
    void aTaskThatThrowsIsRecordedWithItsInputErrorRemoteTraceAttemptsPidAndTimestamps() throws Exception {
        final Instant start = Instant.now();
        try (Pool pool = Pool.builder().workers(2).name("failed").retryPolicy(RetryPolicy.attempts(2)
            .retryExceptions(e -> true)).build()) {
            final List<Long> pids = pool.workerPids();
            final Iterator<Outcome<Integer, Integer>> outcomes = pool.imapOutcomes(
                PoolFailedTasksTest::failOnMultiplesOfSeven, IntStream.range(1, 30).boxed().iterator(), true);
            int failures = 0;
            while (outcomes.hasNext()) {
                final Outcome<Integer, Integer> outcome = outcomes.next();
                if (!outcome.isSuccess()) {
                    failures++;
                    // Recorded before it was delivered.
                    assertThat(pool.failedTasks()).extracting(FailedTask::input).contains(outcome.input());
                }
            }
            assertThat(failures).isEqualTo(4);
            final List<FailedTask> failed = pool.failedTasks();
            assertThat(failed).extracting(FailedTask::input).containsExactlyInAnyOrder(7, 14, 21, 28);
            assertThat(pool.stats().failedTasks()).isEqualTo(4);
            for (final FailedTask task : failed) {
                assertThat(task.inputText()).isEqualTo(String.valueOf(task.input()));
                assertThat(task.attempts()).isEqualTo(2);
                assertThat(task.errorClass()).isEqualTo(IllegalStateException.class.getName());
                assertThat(task.errorMessage()).isEqualTo("bad input " + task.input());
                assertThat(task.stackTrace()).contains("failOnMultiplesOfSeven");
                assertThat(pids).contains(task.workerPid());
                assertThat(task.workerName()).startsWith("failed-worker-");
                assertThat(task.exitCode()).isEmpty();
                assertThat(task.signal()).isEmpty();
                assertThat(task.firstAttemptAt()).isAfterOrEqualTo(start.minusSeconds(1));
                assertThat(task.lastAttemptAt()).isAfterOrEqualTo(task.firstAttemptAt());
                assertThat(task.failedAt()).isAfterOrEqualTo(task.lastAttemptAt());
            }
            assertThatThrownBy(() -> failed.add(failed.get(0))).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void anInputThatKillsEveryWorkerIsRecordedWithTheExitCodeSignalAndAttempts() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("failed-crash").retryPolicy(RetryPolicy.attempts(2))
            .build()) {
            final CompletableFuture<Integer> poison = pool.submit((Integer x) -> {
                Faults.killMinus9();
                return x;
            }, 13);
            assertThatThrownBy(() -> poison.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(WorkerCrashedException.class);
            final WorkerCrashedException crash = (WorkerCrashedException) poison.handle((v, e) -> e).get();
            final List<FailedTask> failed = pool.failedTasks();
            assertThat(failed).hasSize(1);
            final FailedTask task = failed.get(0);
            assertThat(task.input()).isEqualTo(13);
            assertThat(task.attempts()).isEqualTo(2);
            assertThat(task.errorClass()).isEqualTo(WorkerCrashedException.class.getName());
            assertThat(task.workerPid()).isEqualTo(crash.pid());
            assertThat(task.exitCode()).hasValue(137);
            assertThat(task.signal()).hasValue(9);
            assertThat(task.lastAttemptAt()).isAfterOrEqualTo(task.firstAttemptAt());
        }
    }

    @Test
    void aTimedOutInputIsRecordedAsKilledByThePool() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("failed-timeout").taskTimeout(Duration.ofMillis(500))
            .retryPolicy(RetryPolicy.none()).build()) {
            final long pid = pool.workerPids().get(0);
            final CompletableFuture<Long> hung = pool.submit((Long ms) -> {
                Faults.sleep(ms);
                return ms;
            }, 60_000L);
            assertThatThrownBy(() -> hung.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TaskTimeoutException.class);
            final FailedTask task = pool.failedTasks().get(0);
            assertThat(task.input()).isEqualTo(60_000L);
            assertThat(task.errorClass()).isEqualTo(TaskTimeoutException.class.getName());
            assertThat(task.workerPid()).isEqualTo(pid);
            assertThat(task.signal()).hasValue(9);
            assertThat(task.attempts()).isEqualTo(1);
        }
    }

    @Test
    void retentionKeepsTheNewestRecordsUpToTheCountAndDropsOldOnes() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("failed-count").failedTaskRetention(3, Duration.ofHours(1))
            .retryPolicy(RetryPolicy.none()).build()) {
            for (int i = 1; i <= 5; i++) {
                final int input = i * 7;
                assertThatThrownBy(() -> pool.submit(PoolFailedTasksTest::failOnMultiplesOfSeven, input)
                    .get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            }
            assertThat(pool.failedTasks()).extracting(FailedTask::input).containsExactly(21, 28, 35);
            assertThat(pool.stats().failedTasks()).isEqualTo(5);
        }
        try (Pool pool = Pool.builder().workers(1).name("failed-age").failedTaskRetention(10, Duration.ofMillis(200))
            .retryPolicy(RetryPolicy.none()).build()) {
            assertThatThrownBy(() -> pool.submit(PoolFailedTasksTest::failOnMultiplesOfSeven, 7)
                .get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            Await.until(Duration.ofSeconds(30), () -> pool.failedTasks().isEmpty(), () -> "the record to expire");
        }
        try (Pool pool = Pool.builder().workers(1).name("failed-none").failedTaskRetention(0, Duration.ofHours(1))
            .retryPolicy(RetryPolicy.none()).build()) {
            final List<Integer> inputs = IntStream.of(7, 14).boxed().collect(Collectors.toList());
            assertThatThrownBy(() -> pool.map(PoolFailedTasksTest::failOnMultiplesOfSeven, inputs))
                .isInstanceOf(TaskFailedException.class);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }

    @Test
    void theRetentionIsValidatedWithTheBadValueNamed() {
        assertThatThrownBy(() -> Pool.builder().failedTaskRetention(-1, Duration.ofHours(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecords=-1");
        assertThatThrownBy(() -> Pool.builder().failedTaskRetention(10, Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge=PT0S");
        assertThatThrownBy(() -> Pool.builder().failedTaskRetention(2_000_000, Duration.ofHours(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecords=2000000");
    }
}
