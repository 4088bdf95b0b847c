package dev.forklift.micrometer;

import dev.forklift.pool.Pool;
import dev.forklift.queue.Queue;
import dev.forklift.testing.ProcessDeadline;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The binder's meters against a real pool of worker JVMs and a real queue, read through a SimpleMeterRegistry. */
@ProcessDeadline(seconds = 90)
class ForkliftMetricsTest {

    @Test
    void metersReadThePoolAndQueueCountersWhenReadAndGoWithThem() throws Exception {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final ForkliftMetrics metrics = new ForkliftMetrics().minReadIntervalMs(0);
        metrics.bindTo(registry);
        try (Pool pool = Pool.builder().workers(2).name("metered").build();
             Queue<String> queue = Queue.builder(String.class).name("metered-q").capacity(8).build()) {
            queue.put("a");
            queue.put("b");
            queue.put("c");
            queue.take();
            final List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit((Integer x) -> x * 2, i));
            }
            final CompletableFuture<Integer> failing = pool.submit((Integer x) -> {
                throw new IllegalArgumentException("no " + x);
            }, 7);
            for (final CompletableFuture<Integer> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertThat(failing).failsWithin(30, TimeUnit.SECONDS);
            metrics.refresh();
            awaitTrue(() -> counter(registry, "forklift.pool.completed", "pool", "metered", "outcome", "success")
                == 20, "the success count reaches 20");

            assertThat(counter(registry, "forklift.pool.completed", "pool", "metered", "outcome", "failed"))
                .isEqualTo(1);
            assertThat(counter(registry, "forklift.pool.submitted", "pool", "metered")).isEqualTo(21);
            // On a small machine the second worker is launched once the first is ready (staggered start), and these
            // few tasks may all have run on the first: its start is counted a moment later.
            awaitTrue(() -> counter(registry, "forklift.pool.worker.starts", "pool", "metered") == 2
                && registry.get("forklift.pool.workers").tag("pool", "metered").gauge().value() == 2,
                "the second worker, started after the first was ready, is counted");
            assertThat(registry.get("forklift.pool.task.duration").tag("pool", "metered").functionTimer().count())
                .isGreaterThanOrEqualTo(1);
            assertThat(registry.get("forklift.queue.size").tag("queue", "metered-q").gauge().value()).isEqualTo(2);
            assertThat(registry.get("forklift.queue.capacity").tag("queue", "metered-q").gauge().value())
                .isEqualTo(8);
            assertThat(counter(registry, "forklift.queue.put", "queue", "metered-q")).isEqualTo(3);
            assertThat(counter(registry, "forklift.queue.take", "queue", "metered-q")).isEqualTo(1);
            assertThat(counter(registry, "forklift.queue.repaired", "queue", "metered-q", "kind", "torn")).isZero();
            assertThat(registry.find("forklift.queue.size").tag("queue", "metered-worker-tasks").gauge())
                .as("the workers' inboxes under one folded name").isNotNull();

            final String pid = Long.toString(ProcessHandle.current().pid());
            for (final Meter meter : registry.getMeters()) {
                for (final Tag tag : meter.getId().getTags()) {
                    assertThat(tag.getKey()).isIn("pool", "queue", "outcome", "reason", "cause", "state", "kind");
                    assertThat(tag.getValue()).as("tag of %s", meter.getId()).doesNotContain(pid)
                        .doesNotMatch("\\d+-.*");
                }
            }
        }
        metrics.refresh();
        assertThat(registry.find("forklift.pool.submitted").tag("pool", "metered").functionCounter())
            .as("meters of a closed pool are removed").isNull();
        assertThat(registry.find("forklift.queue.size").tag("queue", "metered-q").gauge()).isNull();
    }

    @Test
    void stableQueueNamesDropTheSerialAndFoldWorkerNumbers() {
        assertThat(ForkliftSnapshot.stableQueueName("28-map-timeout-results")).isEqualTo("map-timeout-results");
        assertThat(ForkliftSnapshot.stableQueueName("29-map-worker-12-tasks")).isEqualTo("map-worker-tasks");
        assertThat(ForkliftSnapshot.stableQueueName("3-lines")).isEqualTo("lines");
    }

    private static double counter(final SimpleMeterRegistry registry, final String name, final String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
