package dev.forklift.pool;

import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A task's {@code System.exit(3)} and an {@code OutOfMemoryError} (which ends a worker with code 3 through
 * {@code -XX:+ExitOnOutOfMemoryError}) give the same exit code; the pool tells them apart by the worker's exit
 * marker. The out-of-memory side is {@code PoolReliabilityTest#anOutOfMemoryErrorInAWorkerIs...}.
 */
@ProcessDeadline(seconds = 90)
class PoolSystemExitTest {
    @Test
    void systemExitThreeInATaskIsReportedAsTheTasksExitNotAsOutOfMemory() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("exit3").retryPolicy(RetryPolicy.attempts(2)).build()) {
            final CompletableFuture<Integer> exiting = pool.submit((Integer x) -> {
                System.exit(x);
                return x;
            }, 3);
            assertThatThrownBy(() -> exiting.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkerCrashedException.class)
                .hasMessageContaining("the task called System.exit(3)").hasMessageNotContaining("out of memory")
                .hasMessageContaining("attempts=2")
                .satisfies(e -> assertThat(((WorkerCrashedException) e).outOfMemory()).isFalse())
                .satisfies(e -> assertThat(((WorkerCrashedException) e).systemExitCalled()).isTrue())
                .satisfies(e -> assertThat(((WorkerCrashedException) e).exitCode()).isEqualTo(3));
            assertThat(pool.submit((Integer x) -> x * 2, 21).get(60, TimeUnit.SECONDS)).isEqualTo(42);
        }
        final String self = "workerexit-" + ProcessHandle.current().pid() + "-";
        assertThat(SharedMemoryDirectory.current().liveFiles("workerexit"))
            .as("exit markers left behind").noneMatch(file -> file.getFileName().toString().startsWith(self));
    }
}
