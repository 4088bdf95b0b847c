package dev.forklift.pool.internal;

import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolBuilder;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool launches at most {@value StaggeredStart#BOOTS_PROPERTY} cold workers at once and each further one when a
 * boot ends, and still reaches every worker (real child JVMs; the first worker is held before it reports ready with
 * the test hook {@code -Dforklift.test.slowStart=NAME:MS} of {@code ChildMain}, so that a second worker launched
 * with it would be seen).
 */
@ProcessDeadline(seconds = 180)
class PoolStaggeredStartTest {
    private static final long HELD_MS = 1_500;

    @AfterEach
    void clearProperties() {
        System.clearProperty(StaggeredStart.ENABLED_PROPERTY);
        System.clearProperty(StaggeredStart.BOOTS_PROPERTY);
    }

    @Test
    void withOneBootAtATimeTheSecondWorkerIsLaunchedOnceTheFirstIsReadyAndBothTakeQueuedWork() throws Exception {
        System.setProperty(StaggeredStart.BOOTS_PROPERTY, "1");
        final PoolBuilder builder = Pool.builder().workers(2).name("stagger")
            .jvmOptions("-Dforklift.test.slowStart=stagger-worker-1:" + HELD_MS);
        final PoolConfig config = builder.config();
        final RecordingTransport transport = new RecordingTransport(new SharedMemoryTransport(config));
        try (Pool pool = PoolImpl.start(config, transport)) {
            final Set<Long> pids = new HashSet<>();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (pids.size() < 2 && System.nanoTime() < deadlineNs) {
                final List<Integer> inputs = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    inputs.add(i);
                }
                pids.addAll(pool.map((Integer x) -> {
                    try {
                        Thread.sleep(20);
                    } catch (final InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return ProcessHandle.current().pid();
                }, inputs));
            }
            assertThat(pids).as("both workers ran queued tasks").hasSize(2);
            assertThat(pool.workerPids()).containsExactlyInAnyOrderElementsOf(pids);
        }
        assertThat(transport.launches).as("the workers of each launch").containsExactly(
            List.of("stagger-worker-1"), List.of("stagger-worker-2"));
        assertThat(transport.earlierDoneAtLaunch).as("worker-1's start had ended when worker-2 was launched")
            .containsExactly(0, 1);
    }

    @Test
    void turnedOffEveryWorkerIsLaunchedAtOnce() throws Exception {
        System.setProperty(StaggeredStart.BOOTS_PROPERTY, "1");
        System.setProperty(StaggeredStart.ENABLED_PROPERTY, "false");
        final PoolBuilder builder = Pool.builder().workers(2).name("unstaggered");
        final PoolConfig config = builder.config();
        final RecordingTransport transport = new RecordingTransport(new SharedMemoryTransport(config));
        try (Pool pool = PoolImpl.start(config, transport)) {
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
        }
        assertThat(transport.launches).containsExactly(List.of("unstaggered-worker-1", "unstaggered-worker-2"));
    }

    /** Records each launch of workers, and how many starts of earlier launches had ended by then. */
    private static final class RecordingTransport extends ForwardingTransport {
        final List<List<String>> launches = new CopyOnWriteArrayList<>();
        final List<Integer> earlierDoneAtLaunch = new CopyOnWriteArrayList<>();
        private final List<CompletableFuture<WorkerChannel>> starts = new CopyOnWriteArrayList<>();

        RecordingTransport(final WorkerTransport delegate) {
            super(delegate);
        }

        @Override
        public List<CompletableFuture<WorkerChannel>> startWorkersEach(final List<WorkerSpec> specs) {
            earlierDoneAtLaunch.add((int) starts.stream().filter(CompletableFuture::isDone).count());
            launches.add(specs.stream().map(WorkerSpec::name).toList());
            final List<CompletableFuture<WorkerChannel>> started = delegate.startWorkersEach(specs);
            starts.addAll(started);
            return started;
        }
    }
}
