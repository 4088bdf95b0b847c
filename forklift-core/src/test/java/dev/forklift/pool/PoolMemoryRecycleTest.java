package dev.forklift.pool;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** maxRssPerWorker with real worker JVMs: a leaky task makes its worker fat; the pool recycles it, losing nothing. */
@ProcessDeadline(seconds = 120)
class PoolMemoryRecycleTest {
    private static final int LEAK_BYTES = 24 << 20;

    /** What a leaky task keeps: grows by {@link #LEAK_BYTES} per call, in the worker JVM. */
    static final class Leak {
        static final Map<Integer, byte[]> KEPT = new ConcurrentHashMap<>();

        private Leak() {
        }

        static long grow(final int key) {
            final byte[] block = new byte[LEAK_BYTES];
            for (int i = 0; i < block.length; i += 4096) {
                block[i] = 1; // touched: resident
            }
            KEPT.put(key, block);
            return ProcessHandle.current().pid();
        }
    }

    @Test
    void aWorkerWhoseResidentSetExceedsTheLimitIsRecycledAfterItsTaskAndNoTaskIsLost() throws Exception {
        final int tasks = 24;
        try (Pool pool = Pool.builder().workers(1).name("rss").jvmOptions("-Xmx768m")
            .maxRssPerWorker(256L << 20).retryPolicy(RetryPolicy.none()).build()) {
            final List<Long> pids = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                // One at a time: each task is a frame of its own, checked when it completes.
                pids.add(pool.submit((Integer key) -> Leak.grow(key), i).get(60, TimeUnit.SECONDS));
            }
            final PoolStats stats = pool.stats();
            // 24 tasks of 24 MiB each (576 MiB) cannot fit under a 256 MiB limit in one worker.
            final Set<Long> distinct = new HashSet<>(pids);
            assertThat(distinct).as("%s", stats).hasSizeGreaterThanOrEqualTo(2);
            // Each recycle brings a fresh worker; the last one may be recycled after the last task, or not yet.
            assertThat(stats.memoryRecycles()).as("%s", stats).isBetween(distinct.size() - 1L, (long) distinct.size());
            assertThat(stats.workerCrashes()).as("%s", stats).isZero();
            assertThat(stats.retries()).as("%s", stats).isZero();
            assertThat(stats.tasksCompleted()).as("%s", stats).isEqualTo(tasks);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }

    @Test
    void theLimitIsValidatedWithTheBadValueNamed() {
        assertThatThrownBy(() -> Pool.builder().maxRssPerWorker(1_000_000))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRssPerWorker=1000000");
        assertThatThrownBy(() -> Pool.builder().maxRssPerWorker(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRssPerWorker=-1");
        assertThat(Pool.builder().maxRssPerWorker(0)).isNotNull();
    }

    @Test
    void recyclingWhileMapKeepsInputsInFlightKeepsEveryResult() throws Exception {
        // A small window: a worker holds at most a few leaky inputs, however late it is recycled.
        try (Pool pool = Pool.builder().workers(2).name("rss-map").jvmOptions("-Xmx768m")
            .maxRssPerWorker(200L << 20).chunkSize(1).inFlightWindow(4).retryPolicy(RetryPolicy.none()).build()) {
            final List<Integer> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                keys.add(i);
            }
            final List<Long> pids = pool.map((Integer key) -> Leak.grow(key), keys);
            assertThat(pids).hasSize(40).doesNotContainNull();
            final PoolStats stats = pool.stats();
            assertThat(stats.memoryRecycles()).as("%s", stats).isPositive();
            assertThat(stats.workerCrashes()).as("%s", stats).isZero();
        }
    }
}
