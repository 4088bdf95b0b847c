package dev.forklift.pool;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worker deaths with real worker JVMs: kill -9 from outside and from inside, System.exit, poison inputs. */
@ProcessDeadline(seconds = 90)
class PoolFaultsTest {
    private static Pool pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPool() {
        pool = Pool.builder().workers(2).name("faults").retryPolicy(RetryPolicy.attempts(3)).build();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void aWorkerKilledMinus9MidTaskHasItsTaskRetriedOnAFreshWorker() throws Exception {
        // A pool of its own: the shared one may still be settling the crashes of other tests, whose late
        // accounting would blur the exact counts asserted here.
        try (Pool pool = Pool.builder().workers(2).name("kill9").retryPolicy(RetryPolicy.attempts(3)).build()) {
            killMinus9MidTask(pool);
        }
    }

    private void killMinus9MidTask(final Pool pool) throws Exception {
        final String marker = tmp.resolve("started").toString();
        final PoolStats before = pool.stats();
        final CompletableFuture<Long> victim = pool.submit((String file) -> Faults.announceAndWait(file), marker);
        final List<CompletableFuture<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            others.add(pool.submit((Integer x) -> x * 3, i));
        }
        Await.until(Duration.ofSeconds(30), () -> Files.exists(Path.of(marker)), () -> "the task to start");
        final long firstPid = Long.parseLong(Files.readString(Path.of(marker)));
        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
        // The second attempt finds the marker and returns at once.
        assertThat(victim.get(60, TimeUnit.SECONDS)).isEqualTo(-1L);
        for (int i = 0; i < 100; i++) {
            assertThat(others.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i * 3);
        }
        // The death is accounted by the collector once the frames the worker sent before dying are read.
        Await.until(Duration.ofSeconds(30), () -> pool.stats().workerCrashes() - before.workerCrashes() >= 1,
            () -> "the crash to be counted: " + pool.stats());
        final PoolStats after = pool.stats();
        assertThat(after.workerCrashes() - before.workerCrashes()).as("%s", after).isEqualTo(1);
        // One charged retry when the victim ran alone in its frame; none when crash triage re-sent the frame's
        // unfinished inputs one by one without charging them (docs/pool.md, "Which task was running").
        assertThat(after.retries() - before.retries()).as("%s", after).isBetween(0L, 1L);
        assertThat(pool.workerPids()).doesNotContain(firstPid);
        Await.until(Duration.ofSeconds(30), () -> pool.stats().liveWorkers() == 2, () -> "a replacement worker");
    }

    @Test
    void aPoisonInputFailsAfterItsAttemptsWithoutAStormAndEveryOtherInputCompletes() throws Exception {
        final PoolStats before = pool.stats();
        final List<Integer> inputs = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        final Iterator<Outcome<Integer, Integer>> outcomes = pool.imapOutcomes((Integer x) -> {
            if (x == 13) {
                Faults.killMinus9();
            }
            return x + 1;
        }, inputs.iterator(), true);
        final List<Outcome<Integer, Integer>> all = new ArrayList<>();
        outcomes.forEachRemaining(all::add);
        assertThat(all).hasSize(100);
        for (final Outcome<Integer, Integer> outcome : all) {
            if (outcome.input() == 13) {
                assertThat(outcome.error()).isInstanceOf(WorkerCrashedException.class)
                    .hasMessageContaining("SIGKILL").hasMessageContaining("attempts=3")
                    .hasMessageContaining("input 13");
                final WorkerCrashedException crash = (WorkerCrashedException) outcome.error();
                assertThat(crash.signal()).hasValue(9);
                assertThat(crash.attempts()).isEqualTo(3);
                assertThat(crash.input()).isEqualTo(13);
                assertThat(crash.pid()).isPositive();
            } else {
                assertThat(outcome.result()).isEqualTo(outcome.input() + 1);
            }
        }
        final PoolStats after = pool.stats();
        final long crashes = after.workerCrashes() - before.workerCrashes();
        // Three charged attempts, plus at most one crash while 13 shared a frame with other inputs (not charged:
        // those inputs were then re-sent one by one).
        assertThat(crashes).isBetween(3L, 4L);
        // One replacement per crash, spaced by a growing delay: never a storm.
        Await.until(Duration.ofSeconds(30), () -> pool.stats().liveWorkers() == 2, () -> "replacement workers");
        assertThat(pool.stats().workersStarted() - before.workersStarted()).isEqualTo(crashes);
        // The pool goes on taking work.
        assertThat(pool.submit((Integer x) -> x, 5).get(30, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void systemExitInsideATaskIsACrashNotASuccess() {
        try (Pool strict = Pool.builder().workers(1).name("exit").retryPolicy(RetryPolicy.none()).build()) {
            final CompletableFuture<Integer> exiting = strict.submit((Integer x) -> {
                System.exit(0);
                return x;
            }, 1);
            assertThatThrownBy(() -> exiting.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkerCrashedException.class).hasMessageContaining("exited with code 0")
                .satisfies(e -> assertThat(((WorkerCrashedException) e).attempts()).isEqualTo(1));
            assertThat(strict.submit((Integer x) -> x * 2, 21).join()).isEqualTo(42);
        }
    }

    @Test
    void aWorkerDyingWithALargeMessageInFlightDoesNotWedgeThePool() throws Exception {
        try (Pool single = Pool.builder().workers(1).name("large").retryPolicy(RetryPolicy.none()).build()) {
            final String big = "z".repeat(900_000);
            final CompletableFuture<Integer> dying = single.submit((String s) -> {
                Faults.killMinus9();
                return s.length();
            }, big);
            final CompletableFuture<Integer> next = single.submit((String s) -> s.length(), big);
            assertThatThrownBy(() -> dying.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOf(WorkerCrashedException.class);
            assertThat(next.get(60, TimeUnit.SECONDS)).isEqualTo(900_000);
        }
    }

    @Test
    void rateLimiterGrowsWithConsecutiveCrashesAndResetsOnSuccess() {
        final dev.forklift.pool.internal.RespawnLimiterProbe probe = new dev.forklift.pool.internal.RespawnLimiterProbe();
        assertThat(probe.delaysAfterCrashes(6)).containsExactly(50L, 100L, 200L, 400L, 800L, 1600L);
        assertThat(probe.delayAfterSuccess()).isZero();
    }
}
