package dev.forklift.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repair is reachable from every operation, also from those that never wait: a consumer that only polls (or
 * drains) without a timeout between its own work, a producer that only offers, and a caller that looks only every
 * second all get past a slot whose holder died. Real child JVMs halt at a claim, holding the slot.
 */
@ProcessDeadline(seconds = 120)
class ZeroTimeoutRepairTest {
    private static final Duration JOIN = Duration.ofSeconds(60);
    private static final Duration REPAIR_AFTER = Duration.ofMillis(300);
    /** Far more than twice the repair time, however loaded the machine. */
    private static final long PATIENCE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long OWN_WORK_MS = 20;
    private static final String HALT_AFTER_WRITE_CLAIMS = "forklift.fault.queue.haltAfterWriteClaims";
    private static final String HALT_AFTER_READ_CLAIMS = "forklift.fault.queue.haltAfterReadClaims";

    @Test
    void aConsumerThatOnlyPollsWithoutTimeoutGetsPastATornSlot() throws Exception {
        try (Queue<Long> queue = queueWithTornThirdSlot("torn-poll")) {
            final List<Long> taken = takeBetweenOwnWork(queue::poll, OWN_WORK_MS);
            assertThat(taken).containsExactly(1L, 2L, 100L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    @Test
    void aConsumerThatOnlyDrainsGetsPastATornSlot() throws Exception {
        try (Queue<Long> queue = queueWithTornThirdSlot("torn-drain")) {
            final List<Long> taken = new ArrayList<>();
            final long deadline = System.nanoTime() + PATIENCE_NS;
            while (taken.size() < 3 && System.nanoTime() - deadline < 0) {
                if (queue.drainTo(taken, 10) == 0) {
                    Thread.sleep(OWN_WORK_MS);
                }
            }
            assertThat(taken).containsExactly(1L, 2L, 100L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    @Test
    void aConsumerThatOnlyPollsInPlaceWithoutTimeoutGetsPastATornSlot() throws Exception {
        try (Queue<Long> queue = queueWithTornThirdSlot("torn-in-place")) {
            final int[] reads = {0};
            final long deadline = System.nanoTime() + PATIENCE_NS;
            while (reads[0] < 3 && System.nanoTime() - deadline < 0) {
                if (!queue.pollInPlace(message -> reads[0]++, 0, TimeUnit.NANOSECONDS)) {
                    Thread.sleep(OWN_WORK_MS);
                }
            }
            assertThat(reads[0]).as("messages read in place").isEqualTo(3);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    @Test
    void aConsumerThatLooksOnlyEverySecondGetsPastATornSlot() throws Exception {
        try (Queue<Long> queue = queueWithTornThirdSlot("torn-seldom")) {
            final List<Long> taken = takeBetweenOwnWork(() -> {
                try {
                    return queue.poll(10, TimeUnit.MILLISECONDS);
                } catch (final InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            }, 1000);
            assertThat(taken).containsExactly(1L, 2L, 100L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    @Test
    void aProducerThatOnlyOffersGetsPastTheSlotOfADeadConsumer() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("abandoned-offer").capacity(4)
            .repairAfter(REPAIR_AFTER).build()) {
            final ChildProcess dying = ChildProcess.builder(RepairTasks.Taker.class).role("consumer")
                .systemProperty(HALT_AFTER_READ_CLAIMS, "3").args(queue).start();
            for (long i = 1; i <= 3; i++) {
                queue.put(i);
            }
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted at its 3rd claim").isEqualTo(137);
            final long deadline = System.nanoTime() + PATIENCE_NS;
            long next = 4;
            while (next <= 7 && System.nanoTime() - deadline < 0) {
                if (queue.offer(next)) {
                    next++;
                } else {
                    Thread.sleep(OWN_WORK_MS);
                }
            }
            assertThat(next).as("next item to offer: 7 lands in the dead consumer's slot").isEqualTo(8);
            assertThat(((SharedQueue<Long>) queue).abandonedCount()).isEqualTo(1);
            final List<Long> rest = new ArrayList<>();
            queue.drainTo(rest, 10);
            assertThat(rest).containsExactly(4L, 5L, 6L, 7L);
        }
    }

    /** A queue where a child put 1 and 2 and halted holding the slot of its third item; then this process put 100. */
    private static Queue<Long> queueWithTornThirdSlot(final String name) throws Exception {
        final Queue<Long> queue = Queue.builder(Long.class).name(name).capacity(16).repairAfter(REPAIR_AFTER).build();
        final ChildProcess dying = ChildProcess.builder(RepairTasks.Counter.class).role("producer")
            .systemProperty(HALT_AFTER_WRITE_CLAIMS, "3").args(queue, 1L, 10L).start();
        dying.join(JOIN);
        assertThat(dying.exitCode()).as("halted at its 3rd claim").isEqualTo(137);
        queue.put(100L);
        return queue;
    }

    /** Looks for an item, does its own work for {@code ownWorkMs} when there is none, until 3 items came. */
    private static List<Long> takeBetweenOwnWork(final Supplier<Long> look, final long ownWorkMs)
        throws InterruptedException {
        final List<Long> taken = new ArrayList<>();
        final long deadline = System.nanoTime() + PATIENCE_NS;
        while (taken.size() < 3 && System.nanoTime() - deadline < 0) {
            final Long item = look.get();
            if (item != null) {
                taken.add(item);
            } else {
                Thread.sleep(ownWorkMs);
            }
        }
        return taken;
    }
}
