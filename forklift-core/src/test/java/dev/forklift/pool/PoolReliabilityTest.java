package dev.forklift.pool;

import dev.forklift.process.ChildProcess;
import dev.forklift.queue.Queue;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool rows of the reliability matrix with real worker JVMs: kill -9 at deterministic points of the worker
 * protocol, out of memory, a flood of submits, limits, a SIGSTOPped worker and a SIGSTOPped parent.
 */
@ProcessDeadline(seconds = 90)
class PoolReliabilityTest {
    @TempDir
    Path tmp;

    /**
     * A worker dies by SIGKILL before (after dequeue), during (in the function), and after writing its results
     * (written but not sent; sent but not yet read by the master). Every input ends in exactly one outcome, with the
     * right value, and the pool goes on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"after-dequeue", "during-task", "before-flush", "after-write"})
    void aWorkerKilledAtEachPointOfTheProtocolCostsNoInputAndDuplicatesNone(final String point) throws Exception {
        final Path once = tmp.resolve("died-" + point);
        try (Pool pool = Pool.builder().workers(2).name("kill-" + point).retryPolicy(RetryPolicy.attempts(3))
            .jvmOptions("-Dforklift.pool.faultPoint=" + point, "-Dforklift.pool.faultOnce=" + once).build()) {
            final int n = 300;
            final Iterator<Outcome<Integer, Integer>> outcomes = pool.imapOutcomes((Integer x) -> x * 2,
                IntStream.range(0, n).boxed().iterator(), false);
            final Map<Integer, Integer> seen = new HashMap<>();
            while (outcomes.hasNext()) {
                final Outcome<Integer, Integer> outcome = outcomes.next();
                assertThat(outcome.error()).as("input %s", outcome.input()).isNull();
                assertThat(outcome.result()).isEqualTo(outcome.input() * 2);
                seen.merge(outcome.input(), 1, Integer::sum);
            }
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).allMatch(count -> count == 1);
            assertThat(Files.exists(once)).as("a worker died at " + point).isTrue();
            assertThat(pool.stats().workerCrashes()).isEqualTo(1);
            assertThat(pool.submit((Integer x) -> x + 1, 41).get(60, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    /** A worker dying at the same point on every attempt fails its input after the attempts; no hang. */
    @Test
    void aWorkerKilledOnEveryAttemptFailsTheInputAfterItsAttempts() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("kill-always").retryPolicy(RetryPolicy.attempts(2))
            .jvmOptions("-Dforklift.pool.faultPoint=during-task").build()) {
            final CompletableFuture<Integer> doomed = pool.submit((Integer x) -> x, 7);
            assertThatThrownBy(() -> doomed.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkerCrashedException.class).hasMessageContaining("SIGKILL")
                .hasMessageContaining("attempts=2");
            assertThat(pool.stats().workerCrashes()).isEqualTo(2);
        }
    }

    @Test
    void anOutOfMemoryErrorInAWorkerIsACrashRetriedOnAFreshWorkerThenAFailureAndThePoolGoesOn() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("oom").jvmOptions("-Xmx32m")
            .retryPolicy(RetryPolicy.attempts(2)).build()) {
            final long firstPid = pool.workerPids().get(0);
            final CompletableFuture<Integer> hog = pool.submit((Integer mb) -> {
                final List<byte[]> held = new ArrayList<>();
                for (int i = 0; i < mb; i++) {
                    held.add(new byte[1 << 20]);
                }
                return held.size();
            }, 1024);
            assertThatThrownBy(() -> hog.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkerCrashedException.class).hasMessageContaining("out of memory")
                .hasMessageContaining("attempts=2")
                .satisfies(e -> assertThat(((WorkerCrashedException) e).outOfMemory()).isTrue());
            assertThat(pool.stats().workerCrashes()).isEqualTo(2);
            assertThat(pool.submit((Integer x) -> x * 2, 21).get(60, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(pool.workerPids()).doesNotContain(firstPid);
        }
    }

    @Test
    void aFloodOfSubmitsIsHeldAtTheLimitByBlockingTheCaller() throws Exception {
        final int limit = 200;
        try (Pool pool = Pool.builder().workers(1).name("flood").maxPendingSubmits(limit, SubmitOverflow.BLOCK)
            .build()) {
            final AtomicInteger peak = new AtomicInteger();
            final int total = 3_000;
            final List<CompletableFuture<Integer>> futures = new ArrayList<>();
            final long heapBefore = usedHeap();
            long peakHeap = heapBefore;
            for (int i = 0; i < total; i++) {
                futures.add(pool.submit((Integer x) -> {
                    Faults.sleep(1);
                    return x;
                }, i));
                if (i % 50 == 0) {
                    final PoolStats stats = pool.stats();
                    peak.accumulateAndGet(stats.pendingTasks() + stats.runningTasks(), Math::max);
                    peakHeap = Math.max(peakHeap, usedHeap());
                }
            }
            for (int i = 0; i < total; i++) {
                assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i);
            }
            assertThat(peak.get()).isBetween(1, limit);
            // Generous: a few thousand small tasks held at most 200 at a time cannot take 64 MB more heap.
            assertThat(peakHeap - heapBefore).isLessThan(64L << 20);
        }
    }

    @Test
    void aFloodOfSubmitsBeyondTheLimitIsRejectedWithTheLimitNamed() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("reject").maxPendingSubmits(10, SubmitOverflow.REJECT)
            .build()) {
            final List<CompletableFuture<Long>> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                held.add(pool.submit((Long ms) -> {
                    Faults.sleep(ms);
                    return ms;
                }, 200L));
            }
            assertThatThrownBy(() -> pool.submit((Integer x) -> x, 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("maxPendingSubmits=10");
            for (final CompletableFuture<Long> future : held) {
                assertThat(future.get(60, TimeUnit.SECONDS)).isEqualTo(200L);
            }
            assertThat(pool.submit((Integer x) -> x, 3).get(60, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void countsHaveHardCapsWithClearErrors() {
        assertThatThrownBy(() -> Pool.builder().workers(257)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1..256").hasMessageContaining("workers=257")
            .hasMessageContaining("workerLimit");
        assertThat(Pool.builder().workerLimit(512).workers(300).config().workers()).isEqualTo(300);
        assertThatThrownBy(() -> Pool.builder().workerLimit(512).workers(300).workerLimit(256).config())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers=300");
        assertThatThrownBy(() -> Pool.builder().workerLimit(5000)).hasMessageContaining("workerLimit=5000");
        assertThatThrownBy(() -> Pool.builder().maxPendingSubmits(0, SubmitOverflow.BLOCK))
            .hasMessageContaining("maxPendingSubmits=0");
        assertThatThrownBy(() -> Pool.builder().maxMessageBytes(128 << 20)).hasMessageContaining("maxMessageBytes");
        assertThatThrownBy(() -> Pool.builder().inFlightWindow(-1)).hasMessageContaining("inFlightWindow=-1");
    }

    /** A stopped worker holds its task past the timeout: it is killed, replaced, and the task runs once more. */
    @Test
    void aSigstoppedWorkerPastItsTimeoutIsKilledAndItsTaskCompletesExactlyOnce() throws Exception {
        final String marker = tmp.resolve("stopped").toString();
        try (Pool pool = Pool.builder().workers(1).name("sigstop").taskTimeout(Duration.ofSeconds(2))
            .retryPolicy(RetryPolicy.attempts(3).retryTimeouts(true)).build()) {
            final CompletableFuture<Long> task = pool.submit((String file) -> {
                final Path path = Path.of(file);
                if (Files.exists(path)) {
                    return -1L;
                }
                try {
                    Files.writeString(path, Long.toString(ProcessHandle.current().pid()));
                } catch (final java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
                Faults.sleep(1_000);
                return ProcessHandle.current().pid();
            }, marker);
            Await.until(Duration.ofSeconds(30), () -> Files.exists(Path.of(marker)) && size(marker) > 0,
                () -> "the task to start");
            final long pid = Long.parseLong(Files.readString(Path.of(marker)));
            signal("STOP", pid);
            // The second attempt finds the marker: -1. The stopped attempt never answers (it was killed).
            assertThat(task.get(60, TimeUnit.SECONDS)).isEqualTo(-1L);
            assertThat(pool.stats().timeouts()).isEqualTo(1);
            Await.until(Duration.ofSeconds(10), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false), () -> "the stopped worker to be gone");
            assertThat(pool.workerPids()).doesNotContain(pid);
        }
    }

    @Test
    void aSigstoppedParentResumesAfterSigcontWithEveryResultExactlyOnce() throws Exception {
        final Path out = tmp.resolve("results.txt");
        final int n = 600;
        try (Queue<String> report = Queue.create(String.class);
             ChildProcess parent = ChildProcess.builder(StoppableParent.class).role("parent")
                 .args(report, out.toString(), n, 0L).start()) {
            assertThat(report.poll(60, TimeUnit.SECONDS)).startsWith("flowing ");
            signal("STOP", parent.pid());
            Thread.sleep(3_000);
            assertThat(out).doesNotExist();
            signal("CONT", parent.pid());
            assertThat(parent.join(Duration.ofSeconds(60))).isTrue();
            assertThat(parent.exitStatus().orElseThrow().isSuccess()).isTrue();
            StoppableParent.assertEveryResultExactlyOnce(out, n);
        }
    }

    private static long usedHeap() {
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long size(final String file) {
        try {
            return Files.size(Path.of(file));
        } catch (final java.io.IOException ex) {
            return 0;
        }
    }

    private static void signal(final String name, final long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor())
            .isZero();
    }
}
