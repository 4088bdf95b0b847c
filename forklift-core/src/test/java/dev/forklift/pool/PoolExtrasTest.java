package dev.forklift.pool;

import dev.forklift.process.TaskNotSerializableException;
import dev.forklift.sync.SharedLong;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What pool users expect besides map and submit: cancel, more argument counts, map timeouts, executors, closing. */
@ProcessDeadline(seconds = 120)
class PoolExtrasTest {
    private static final String[] FAST_JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    private static Pool pool(final String name, final int workers) {
        return Pool.builder().workers(workers).name(name).jvmOptions(FAST_JVM).build();
    }

    /** A task that says it started through a shared counter, then sleeps; returns its worker's pid. */
    private static SerializableCallable<Long> sleeper(final SharedLong started, final long ms) {
        return () -> {
            started.incrementAndGet();
            Faults.sleep(ms);
            return ProcessHandle.current().pid();
        };
    }

    @Test
    void cancelTrueStopsARunningTaskByReplacingItsWorkerAndCancelFalseKeepsAQueuedOneFromStarting() throws Exception {
        try (SharedLong started = SharedLong.create("cancel-started");
             SharedLong queuedRan = SharedLong.create("cancel-queued");
             Pool pool = pool("cancels", 1)) {
            final long workerBefore = pool.workerPids().get(0);
            final CompletableFuture<Long> running = pool.submit(sleeper(started, 120_000));
            final CompletableFuture<Long> queued = pool.submit(() -> queuedRan.incrementAndGet());
            Await.until(Duration.ofSeconds(60), () -> started.get() == 1, () -> "the task to start");
            assertThat(queued.cancel(false)).isTrue();
            final long cancelledAt = System.nanoTime();
            assertThat(running.cancel(true)).isTrue();
            assertThat(running).isCancelled();
            Await.until(Duration.ofSeconds(30), () -> ProcessHandle.of(workerBefore).map(p -> !p.isAlive())
                .orElse(true), () -> "the worker of the cancelled task to be killed");
            assertThat(pool.submit(() -> 7).get(60, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(100));
            assertThat(pool.workerPids()).doesNotContain(workerBefore);
            assertThat(queuedRan.get()).as("the queued task cancelled with cancel(false) never ran").isZero();
            assertThat(pool.stats().workerCrashes()).as("a cancel is not a crash").isZero();
        }
    }

    @Test
    void tasksOfZeroThreeAndAnyNumberOfArgumentsRunInWorkers() throws Exception {
        try (Pool pool = pool("arities", 1)) {
            assertThat(pool.submit(() -> 42).get(60, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(pool.submit((Integer a, Integer b, String c) -> a + b + c, 1, 2, "x").get(60, TimeUnit.SECONDS))
                .isEqualTo("3x");
            assertThat(pool.submitArgs(args -> args.length + Arrays.toString(args), "x", null, 3, 4L, 5.0)
                .get(60, TimeUnit.SECONDS)).isEqualTo("5[x, null, 3, 4, 5.0]");
            assertThat(pool.submitArgs(args -> args.length).get(60, TimeUnit.SECONDS)).isZero();
            assertThat(pool.submitArgs(args -> args[0], List.of(1, 2)).get(60, TimeUnit.SECONDS))
                .isEqualTo(List.of(1, 2));
            final CompletableFuture<Object> failing = pool.submit(() -> {
                throw new java.io.IOException("checked failure");
            });
            assertThatThrownBy(() -> failing.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("checked failure");
        }
    }

    @Test
    void aMapWithATimeoutFailsWhenItsResultsAreLateAndThePoolGoesOn() {
        try (Pool pool = pool("map-timeout", 1)) {
            assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3), Duration.ofSeconds(60)))
                .containsExactly(2, 4, 6);
            final long start = System.nanoTime();
            assertThatThrownBy(() -> pool.map((Integer ms) -> {
                Faults.sleep(ms);
                return ms;
            }, List.of(1, 2_000, 2_000), Duration.ofMillis(500))).isInstanceOf(MapTimeoutException.class)
                .hasMessageContaining("timeoutMs=500");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThatThrownBy(() -> pool.map((Integer x) -> x, List.of(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout=PT0S");
        }
    }

    @Test
    void anExecutorServiceViewRunsSerializableTasksInWorkersAndRefusesOthers() throws Exception {
        try (SharedLong started = SharedLong.create("executor-started");
             Pool pool = pool("executor", 2)) {
            final ExecutorService executor = pool.asExecutorService();
            final List<Callable<Long>> pids = List.of((Callable<Long> & Serializable) () -> ProcessHandle.current()
                .pid(), (Callable<Long> & Serializable) () -> ProcessHandle.current().pid());
            for (final Future<Long> pid : executor.invokeAll(pids)) {
                assertThat(pool.workerPids()).contains(pid.get());
            }
            final Future<?> done = executor.submit((Runnable & Serializable) () -> { });
            assertThat(done.get(60, TimeUnit.SECONDS)).isNull();
            assertThatThrownBy(() -> executor.submit(() -> 1)).isInstanceOf(TaskNotSerializableException.class)
                .hasMessageContaining("must be serializable");
            // invokeAll with a timeout cancels, with cancel(true), what is not done: the sleeping task's worker goes.
            final List<Future<Long>> timed = executor.invokeAll(List.of(sleeper(started, 120_000)), 2,
                TimeUnit.SECONDS);
            assertThat(timed.get(0).isCancelled()).isTrue();
            Await.until(Duration.ofSeconds(60), () -> pool.stats().workersStarted() >= 3,
                () -> "a worker to replace the cancelled task's: " + pool.stats());
            executor.shutdown();
            assertThat(executor.isShutdown()).isTrue();
            assertThatThrownBy(() -> executor.submit(sleeper(started, 1))).isInstanceOf(RejectedExecutionException.class);
            assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(executor.isTerminated()).isTrue();
        }
    }

    @Test
    void closeAsyncReturnsAtOnceAndDrainsTerminateStopsAtOnce() throws Exception {
        try (SharedLong started = SharedLong.create("close-started")) {
            final Pool draining = pool("close-async", 1);
            final CompletableFuture<Long> task = draining.submit(sleeper(started, 1_500));
            Await.until(Duration.ofSeconds(60), () -> started.get() == 1, () -> "the task to start");
            final CompletableFuture<Void> closed = draining.closeAsync();
            assertThat(closed).isNotDone();
            assertThatThrownBy(() -> draining.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
            closed.get(60, TimeUnit.SECONDS);
            assertThat(task.get(1, TimeUnit.SECONDS)).isPositive();
            assertThat(draining.closeAsync()).isSameAs(closed);

            final Pool stopping = pool("terminate", 1);
            final CompletableFuture<Long> hung = stopping.submit(sleeper(started, 120_000));
            Await.until(Duration.ofSeconds(60), () -> started.get() == 2, () -> "the second task to start");
            final long worker = stopping.workerPids().get(0);
            stopping.terminate();
            assertThatThrownBy(() -> hung.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            Await.until(Duration.ofSeconds(30), () -> ProcessHandle.of(worker).map(p -> !p.isAlive()).orElse(true),
                () -> "the worker to be gone");
            stopping.terminate();
        }
    }
}
