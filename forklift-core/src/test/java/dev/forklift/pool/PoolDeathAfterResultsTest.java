package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's death is handled only after the results it sent were read, even while the head of the shared result
 * queue is blocked by a slot that a killed worker left torn (until it is repaired) or that a slow live worker
 * holds: then no cleanly exited worker counts as crashed, no input is charged an attempt or run twice because of
 * it, and task timeouts are measured from the task's start in the worker, not from when its result arrives. Real
 * worker JVMs; side effects are counted in one file per input, one line (the worker's pid) per run.
 */
@ProcessDeadline(seconds = 150)
class PoolDeathAfterResultsTest {
    @TempDir
    Path tmp;

    /**
     * The first worker to send results dies holding its result slot; while that slot blocks the queue, workers
     * recycled after 3 tasks exit cleanly with their results queued behind it. Only the killed worker crashes,
     * only its inputs run again (uncharged: its frame held several), every other input runs exactly once.
     */
    @Test
    void aWorkerKilledMidPutWithOtherResultsQueuedBehindItCostsNoSpuriousCrashNoChargeAndNoSecondRun()
        throws Exception {
        final Path runs = Files.createDirectories(tmp.resolve("runs"));
        final Path once = tmp.resolve("victim");
        try (Pool pool = Pool.builder().workers(3).name("midput").maxTasksPerWorker(3).chunkSize(4)
            .retryPolicy(RetryPolicy.attempts(3))
            .jvmOptions("-Dforklift.pool.faultPoint=mid-put", "-Dforklift.pool.faultOnce=" + once).build()) {
            final int n = 160;
            final Map<Integer, Integer> seen = runAll(pool, runs.toString(), n, 25);
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).allMatch(count -> count == 1);
            final long victim = Long.parseLong(Files.readString(once).trim());
            assertSideEffects(runs, n, victim);
            final PoolStats stats = pool.stats();
            assertThat(stats.workerCrashes()).as("only the killed worker crashed: %s", stats).isEqualTo(1);
            assertThat(stats.retries()).as("no attempt charged: %s", stats).isZero();
            assertThat(stats.failedTasks()).isZero();
            assertThat(stats.workersStarted()).as("workers were recycled: %s", stats).isGreaterThan(6);
        }
    }

    /**
     * One worker holds its result slot for 3 s, alive (a slow producer: never repaired); meanwhile workers
     * recycled after 3 tasks exit cleanly with their results queued behind it. No crash, no retry, every input
     * exactly once.
     */
    @Test
    void workersRecycledWhileTheResultQueueIsBlockedAreNeverCrashesAndRunEachInputOnce() throws Exception {
        final Path runs = Files.createDirectories(tmp.resolve("runs"));
        final Path once = tmp.resolve("staller");
        try (Pool pool = Pool.builder().workers(3).name("stall").maxTasksPerWorker(3).chunkSize(4)
            .retryPolicy(RetryPolicy.attempts(3))
            .jvmOptions("-Dforklift.pool.faultPoint=stall-mid-put", "-Dforklift.pool.faultStallMs=3000",
                "-Dforklift.pool.faultOnce=" + once).build()) {
            final int n = 160;
            final Map<Integer, Integer> seen = runAll(pool, runs.toString(), n, 25);
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).allMatch(count -> count == 1);
            assertThat(Files.exists(once)).as("a worker stalled mid-put").isTrue();
            assertSideEffects(runs, n, -1);
            final PoolStats stats = pool.stats();
            assertThat(stats.workerCrashes()).as("no crash: %s", stats).isZero();
            assertThat(stats.retries()).as("no retry: %s", stats).isZero();
            assertThat(stats.workersStarted()).as("workers were recycled: %s", stats).isGreaterThan(6);
        }
    }

    /**
     * A task timeout of 1.5 s, tasks of 30 ms, and a worker killed holding its result slot: for about the repair
     * time no result arrives, yet the healthy workers' tasks each started well within their timeout. None is
     * killed for a timeout; only the killed worker crashed.
     */
    @Test
    void aTaskTimeoutNearTheRepairTimeDoesNotKillHealthyWorkersWhoseResultsWaitBehindATornSlot() throws Exception {
        final Path runs = Files.createDirectories(tmp.resolve("runs"));
        final Path once = tmp.resolve("victim");
        try (Pool pool = Pool.builder().workers(3).name("midput-timeout").taskTimeout(Duration.ofMillis(1500))
            .retryPolicy(RetryPolicy.attempts(3))
            .jvmOptions("-Dforklift.pool.faultPoint=mid-put", "-Dforklift.pool.faultOnce=" + once).build()) {
            final int n = 150;
            final Map<Integer, Integer> seen = runAll(pool, runs.toString(), n, 30);
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).allMatch(count -> count == 1);
            final long victim = Long.parseLong(Files.readString(once).trim());
            assertSideEffects(runs, n, victim);
            final PoolStats stats = pool.stats();
            assertThat(stats.timeouts()).as("no healthy worker killed for a timeout: %s", stats).isZero();
            assertThat(stats.workerCrashes()).as("only the killed worker crashed: %s", stats).isEqualTo(1);
            // Every task is isolated under a timeout: the killed worker's one task is charged its crash.
            assertThat(stats.retries()).as("at most the killed worker's task charged: %s", stats).isLessThanOrEqualTo(1);
            assertThat(stats.failedTasks()).isZero();
        }
    }

    /** Runs x -> 3x + 1 over 0..n-1, each run appending its worker's pid to the input's file; counts outcomes. */
    private static Map<Integer, Integer> runAll(final Pool pool, final String dir, final int n, final long sleepMs) {
        final Iterator<Outcome<Integer, Integer>> outcomes = pool.imapOutcomes((Integer x) -> {
            try {
                Files.writeString(Path.of(dir, "in-" + x), ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
            Faults.sleep(sleepMs);
            return 3 * x + 1;
        }, IntStream.range(0, n).boxed().iterator(), false);
        final Map<Integer, Integer> seen = new HashMap<>();
        while (outcomes.hasNext()) {
            final Outcome<Integer, Integer> outcome = outcomes.next();
            assertThat(outcome.error()).as("input %s", outcome.input()).isNull();
            assertThat(outcome.result()).isEqualTo(3 * outcome.input() + 1);
            seen.merge(outcome.input(), 1, Integer::sum);
        }
        return seen;
    }

    /**
     * Every input ran exactly once, except that an input the killed worker ran (its results died with it) ran
     * once more, on another worker.
     */
    private static void assertSideEffects(final Path runs, final int n, final long victim) throws IOException {
        final List<String> twice = new ArrayList<>();
        for (int x = 0; x < n; x++) {
            final List<String> pids = Files.readAllLines(runs.resolve("in-" + x));
            final long byVictim = pids.stream().filter(pid -> Long.parseLong(pid) == victim).count();
            assertThat(byVictim).as("input %d ran on the killed worker at most once: %s", x, pids)
                .isLessThanOrEqualTo(1);
            assertThat(pids).as("input %d runs", x).hasSize(1 + (int) byVictim);
            if (byVictim == 1) {
                twice.add(x + ":" + pids);
            }
        }
        if (victim > 0) {
            assertThat(twice).as("the killed worker's inputs ran again").isNotEmpty();
        }
    }
}
