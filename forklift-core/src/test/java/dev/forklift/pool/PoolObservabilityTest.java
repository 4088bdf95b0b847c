package dev.forklift.pool;

import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;
import dev.forklift.testing.ProcessDeadline;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an outside process sees of a running pool (its counters on the counter board, its workers' current task on
 * the status board) and what a flight recording of a small pool job holds.
 */
@ProcessDeadline(seconds = 90)
class PoolObservabilityTest {

    @Test
    void aRecordingOfASmallJobHoldsTheForkliftEventsAndTheBoardsCarryItsCounters(@TempDir final Path dir)
        throws Exception {
        final Path file = dir.resolve("pool.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.forklift.TaskAttempt");
            recording.enable("dev.forklift.WorkerStart");
            recording.enable("dev.forklift.WorkerExit");
            recording.enable("dev.forklift.QueueWait").withThreshold(Duration.ofMillis(1));
            recording.enable("dev.forklift.QueueStatistics").withPeriod(Duration.ofMillis(200));
            recording.start();
            try (Pool pool = Pool.builder().workers(2).name("observed").retryPolicy(RetryPolicy.none()).build()) {
                final List<CompletableFuture<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    futures.add(pool.submit((Integer x) -> x + 1, i));
                }
                final CompletableFuture<Integer> throwing = pool.submit((Integer x) -> {
                    throw new IllegalStateException("bad input " + x);
                }, 99);
                final CompletableFuture<Integer> crashing = pool.submit((Integer x) -> {
                    Runtime.getRuntime().halt(7);
                    return x;
                }, 100);
                for (final CompletableFuture<Integer> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
                assertThat(throwing).failsWithin(30, TimeUnit.SECONDS);
                assertThat(crashing).failsWithin(30, TimeUnit.SECONDS);

                awaitTrue(() -> counters("observed").map(c -> c.counter("completed.crashed") == 1
                    && c.counter("worker.starts") >= 3).orElse(false), "the board carries the crash and the respawn");
                final PoolInspector.PoolInfo info = counters("observed").orElseThrow();
                assertThat(info.ownerPid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(info.counter("submitted")).isEqualTo(12);
                assertThat(info.counter("completed.success")).isEqualTo(10);
                assertThat(info.counter("completed.failed")).isEqualTo(1);
                assertThat(info.counter("worker.starts")).isGreaterThanOrEqualTo(3);
                assertThat(info.counter("worker.exits.crash"))
                    .as("a crash not yet attributed runs again alone").isBetween(1L, 2L);
                assertThat(info.counter("task.count")).isGreaterThanOrEqualTo(11);
                assertThat(info.counter("task.nanos")).isPositive();
                final CompletableFuture<Integer> slow = pool.submit((Integer x) -> {
                    Faults.sleep(3_000);
                    return x;
                }, 5);
                awaitTrue(() -> workerRunningATask(pool).isPresent(), "a worker shows its current task");
                final ProcessRow busy = workerRunningATask(pool).orElseThrow();
                assertThat(busy.taskAgeMs()).isBetween(0L, 60_000L);
                assertThat(busy.heartbeatAgeMs()).isLessThan(10_000L);

                awaitTrue(() -> counters("observed").map(c -> c.counter("active") == 1).orElse(false),
                    "the board shows the running task");
                assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(5);
            }
            assertThat(counters("observed")).as("a closed pool leaves the board").isEmpty();
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        final List<String> names = events.stream().map(e -> e.getEventType().getName()).distinct()
            .collect(Collectors.toList());
        assertThat(names).contains("dev.forklift.TaskAttempt", "dev.forklift.WorkerStart", "dev.forklift.WorkerExit",
            "dev.forklift.QueueWait", "dev.forklift.QueueStatistics");
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.forklift.WorkerExit"))
            .anySatisfy(e -> {
                assertThat(e.getString("cause")).isEqualTo("crash");
                assertThat(e.getInt("exitCode")).isEqualTo(7);
                assertThat(e.getString("pool")).isEqualTo("observed");
            });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.forklift.TaskAttempt"))
            .anySatisfy(e -> assertThat(e.getString("outcome")).isEqualTo("crashed"))
            .anySatisfy(e -> assertThat(e.getString("outcome")).isEqualTo("completed"));
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.forklift.WorkerStart"))
            .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aPoolIsOnTheCounterBoardSoonAfterItsStartWithoutARecordingAndLeavesItAtClose() throws Exception {
        try (Pool pool = Pool.builder().workers(1).name("boarded").build()) {
            awaitTrue(() -> counters("boarded").isPresent(), "the pool's section is published");
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(30, TimeUnit.SECONDS)).isEqualTo(2);
            awaitTrue(() -> counters("boarded").map(c -> c.counter("completed.success") == 1
                && c.counter("workers.live") == 1).orElse(false), "the board carries the result");
        }
        assertThat(counters("boarded")).as("a closed pool leaves the board").isEmpty();
        try (Pool quick = Pool.builder().workers(1).name("closed-at-once").build()) {
            assertThat(quick.workerPids()).hasSize(1); // closed at once, maybe before its section is published
        }
        Thread.sleep(2 * dev.forklift.process.internal.CounterBoard.FLUSH_INTERVAL_MS);
        assertThat(counters("closed-at-once")).as("a pool closed while publishing leaves no section").isEmpty();
    }

    private static Optional<ProcessRow> workerRunningATask(final Pool pool) {
        final List<Long> pids = pool.workerPids();
        return ProcessTable.snapshot().stream().filter(r -> pids.contains(r.pid()) && r.currentTask() > 0)
            .findFirst();
    }

    private static Optional<PoolInspector.PoolInfo> counters(final String name) {
        final long self = ProcessHandle.current().pid();
        return PoolInspector.snapshot().stream().filter(p -> p.ownerPid() == self && p.name().equals(name))
            .findFirst();
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
