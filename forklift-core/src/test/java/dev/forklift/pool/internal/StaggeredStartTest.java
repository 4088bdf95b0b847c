package dev.forklift.pool.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StaggeredStart}: which workers are launched when, with a launch that only records its calls (no JVM), and
 * the boot limit's settings.
 */
class StaggeredStartTest {
    /** Runs the later launches on the thread that completes a start (the pool uses its spawner thread). */
    private static final Executor DIRECT = Runnable::run;

    private final List<List<String>> calls = new ArrayList<>();
    private final List<CompletableFuture<WorkerChannel>> launched = new ArrayList<>();
    private String failLaunchOf;

    @AfterEach
    void clearProperties() {
        System.clearProperty(StaggeredStart.ENABLED_PROPERTY);
        System.clearProperty(StaggeredStart.BOOTS_PROPERTY);
    }

    @Test
    void withALimitOfOneTheNextWorkerIsLaunchedOnlyOnceTheOneBootingIsReady() {
        final List<CompletableFuture<WorkerChannel>> starts = StaggeredStart.start(specs(3), 1, this::launch, DIRECT);

        assertThat(starts).hasSize(3);
        assertThat(calls).as("launched at once").containsExactly(List.of("w-1"));
        assertThat(starts.get(1)).isNotDone();
        final WorkerChannel first = channel("w-1");
        launched.get(0).complete(first);
        assertThat(starts.get(0)).isCompletedWithValue(first);
        assertThat(calls).as("once the first is ready").containsExactly(List.of("w-1"), List.of("w-2"));
        assertThat(starts.get(2)).isNotDone();
        final WorkerChannel second = channel("w-2");
        launched.get(1).complete(second);
        assertThat(starts.get(1)).as("the pool's future follows the transport's").isCompletedWithValue(second);
        assertThat(calls).containsExactly(List.of("w-1"), List.of("w-2"), List.of("w-3"));
    }

    @Test
    void aStartThatFailsOrALaunchThatThrowsMakesWayForTheNextWorker() {
        failLaunchOf = "w-2";
        final List<CompletableFuture<WorkerChannel>> starts = StaggeredStart.start(specs(3), 1, this::launch, DIRECT);

        launched.get(0).completeExceptionally(new IllegalStateException("exit code 7"));
        assertThat(starts.get(0)).isCompletedExceptionally();
        assertThat(starts.get(1)).as("its launch threw").isCompletedExceptionally();
        assertThatThrownBy(starts.get(1)::join).hasRootCauseMessage("cannot launch w-2");
        assertThat(calls).containsExactly(List.of("w-1"), List.of("w-2"), List.of("w-3"));
    }

    @Test
    void aCancelledWorkerIsNeverLaunchedAndCancellingOneLaunchedCancelsItsStart() {
        final List<CompletableFuture<WorkerChannel>> starts = StaggeredStart.start(specs(4), 2, this::launch, DIRECT);
        assertThat(calls).as("two boot at once").containsExactly(List.of("w-1", "w-2"));

        starts.get(2).cancel(true);
        launched.get(0).complete(channel("w-1"));
        assertThat(calls).as("w-3 was cancelled").containsExactly(List.of("w-1", "w-2"), List.of("w-4"));
        starts.get(3).cancel(true);
        assertThat(launched.get(2)).as("w-4's start, as launched").isCancelled();
        assertThatThrownBy(starts.get(3)::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void aWorkerReadyAfterItsFutureWasCancelledIsKilled() {
        final List<CompletableFuture<WorkerChannel>> starts = StaggeredStart.start(specs(2), 1, this::launch, DIRECT);
        launched.get(0).complete(channel("w-1"));
        final CompletableFuture<WorkerChannel> secondAsLaunched = launched.get(1);
        // The pool's future ended first (as when its cancel, on the closing thread, has not yet reached the
        // transport's start while that completes on the thread that read the worker's READY frame).
        final AtomicInteger kills = new AtomicInteger();
        starts.get(1).obtrudeException(new IllegalStateException("given up meanwhile"));
        secondAsLaunched.complete(channel("w-2", kills));
        assertThat(kills).as("the worker nobody waits for any more was killed").hasValue(1);
    }

    @Test
    void fewerWorkersThanTheLimitAreLaunchedTogether() {
        StaggeredStart.start(specs(2), 2, this::launch, DIRECT);
        assertThat(calls).containsExactly(List.of("w-1", "w-2"));
    }

    @Test
    void theLimitIsTheProcessorsLessOneUnlessSetOrTurnedOffAndNeverAppliesToLeasedWorkers() {
        final int processors = Runtime.getRuntime().availableProcessors();
        assertThat(StaggeredStart.bootLimit(64, false)).isEqualTo(Math.max(1, processors - 1));
        assertThat(StaggeredStart.bootLimit(1, false)).isEqualTo(1);
        assertThat(StaggeredStart.bootLimit(8, true)).as("leased warm workers").isEqualTo(8);
        System.setProperty(StaggeredStart.BOOTS_PROPERTY, "3");
        assertThat(StaggeredStart.bootLimit(8, false)).isEqualTo(3);
        System.setProperty(StaggeredStart.BOOTS_PROPERTY, "0");
        assertThatThrownBy(() -> StaggeredStart.bootLimit(8, false)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(StaggeredStart.BOOTS_PROPERTY).hasMessageContaining(": 0");
        System.setProperty(StaggeredStart.BOOTS_PROPERTY, "many");
        assertThatThrownBy(() -> StaggeredStart.bootLimit(8, false)).hasMessageContaining("many");
        System.setProperty(StaggeredStart.ENABLED_PROPERTY, "false");
        assertThat(StaggeredStart.bootLimit(8, false)).as("turned off: all at once").isEqualTo(8);
    }

    private List<CompletableFuture<WorkerChannel>> launch(final List<WorkerTransport.WorkerSpec> specs) {
        final List<String> names = specs.stream().map(WorkerTransport.WorkerSpec::name).toList();
        calls.add(names);
        if (names.contains(failLaunchOf)) {
            throw new IllegalStateException("cannot launch " + failLaunchOf);
        }
        final List<CompletableFuture<WorkerChannel>> futures = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            final CompletableFuture<WorkerChannel> future = new CompletableFuture<>();
            launched.add(future);
            futures.add(future);
        }
        return futures;
    }

    private static List<WorkerTransport.WorkerSpec> specs(final int count) {
        final List<WorkerTransport.WorkerSpec> specs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            specs.add(new WorkerTransport.WorkerSpec(i, "w-" + i, null));
        }
        return specs;
    }

    private static WorkerChannel channel(final String name) {
        return channel(name, new AtomicInteger());
    }

    /** @return a channel that answers its name, counts its kills, and has exited. */
    private static WorkerChannel channel(final String name, final AtomicInteger kills) {
        return (WorkerChannel) Proxy.newProxyInstance(WorkerChannel.class.getClassLoader(),
            new Class<?>[] {WorkerChannel.class}, (proxy, method, args) -> switch (method.getName()) {
                case "name", "toString" -> name;
                case "killNow" -> {
                    kills.incrementAndGet();
                    yield null;
                }
                case "onExit" -> new CompletableFuture<>();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
            });
    }
}
