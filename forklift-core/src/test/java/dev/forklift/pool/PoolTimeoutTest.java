package dev.forklift.pool;

import dev.forklift.pool.internal.HoldingTransport;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Task timeouts and late results, with real worker JVMs. */
@ProcessDeadline(seconds = 90)
class PoolTimeoutTest {
    @Test
    void aTaskOverItsTimeoutHasItsWorkerKilledAndReplacedAndFailsWithATimeout() throws Exception {
        try (Pool pool = Pool.builder().workers(2).name("timeouts").taskTimeout(Duration.ofMillis(700)).build()) {
            final List<Long> before = pool.workerPids();
            final CompletableFuture<Long> hung = pool.submit((Long ms) -> {
                Faults.sleep(ms);
                return ms;
            }, 60_000L);
            final CompletableFuture<Integer> quick = pool.submit((Integer x) -> x + 1, 1);
            assertThat(quick.get(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThatThrownBy(() -> hung.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TaskTimeoutException.class).hasMessageContaining("700 ms")
                .hasMessageContaining("60000");
            final TaskTimeoutException timeout = (TaskTimeoutException) hung.handle((v, e) -> e).get();
            assertThat(before).contains(timeout.pid());
            // One lookup per try: a process gone between two lookups made the second one empty.
            Await.until(Duration.ofSeconds(10), () -> !ProcessHandle.of(timeout.pid()).map(ProcessHandle::isAlive)
                .orElse(false), () -> "the hung worker to be gone");
            // The pool learns of the exit after the operating system does (the child's outcome and output are
            // collected first): until then the killed worker is still listed.
            Await.until(Duration.ofSeconds(30), () -> pool.stats().liveWorkers() == 2
                && !pool.workerPids().contains(timeout.pid()), () -> "a replacement: " + pool.workerPids());
            assertThat(pool.stats().timeouts()).isEqualTo(1);
            assertThat(pool.stats().workerCrashes()).isZero();
            assertThat(pool.submit((Integer x) -> x * 2, 4).get(30, TimeUnit.SECONDS)).isEqualTo(8);
        }
    }

    @Test
    void aResultFromAnAttemptTheMasterGaveUpOnIsDiscarded() throws Exception {
        final HoldingTransport.HoldingPool held = HoldingTransport.start(Pool.builder().workers(1).name("late")
            .taskTimeout(Duration.ofMillis(500)).retryPolicy(RetryPolicy.attempts(2).retryTimeouts(true)));
        try (Pool pool = held.pool()) {
            // Attempt 1 answers at once, but its result frame is held back past the timeout: the master kills
            // that worker and runs attempt 2 on a fresh one, which answers with its own pid.
            final CompletableFuture<Long> task = pool.submit((Integer x) -> ProcessHandle.current().pid(), 1);
            Await.until(Duration.ofSeconds(30), () -> held.transport().isHolding(), () -> "attempt 1's result");
            Await.until(Duration.ofSeconds(30), () -> pool.stats().retries() == 1, () -> "attempt 2 to start");
            held.transport().release();
            final long pid = task.get(30, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(10), () -> pool.stats().lateResultsDiscarded() == 1,
                () -> "the late result to be discarded: " + pool.stats());
            assertThat(pool.stats().timeouts()).isEqualTo(1);
            assertThat(pool.stats().tasksCompleted()).isEqualTo(1);
            assertThat(pool.workerPids()).contains(pid);
        }
    }
}
