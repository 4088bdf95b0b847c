package dev.forklift.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process that dies holding a whole run of slots (claimed with one CAS by {@code putAll}, {@code putRunInPlace} or
 * {@code takeInto}) costs the others about twice the repair time, not the repair time once per slot: the run is
 * repaired in one go, also the slots it had not yet stamped with its pid. Real child JVMs halt at the queue's fault
 * points inside a run claim, or are killed with SIGKILL inside an in-place writer.
 *
 * <p>With a repair time of 300 ms, repairing 200 slots one at a time took at least a minute (and 3 s per unstamped
 * slot); each test allows 20 s, some 30 times what the repair of a run takes, so a loaded machine does not fail it.
 */
@ProcessDeadline(seconds = 120)
class RunRepairTest {
    private static final Duration JOIN = Duration.ofSeconds(60);
    private static final Duration REPAIR_AFTER = Duration.ofMillis(300);
    private static final long PATIENCE_SECONDS = 20;
    private static final long PATIENCE_FOR_RELEASES_SECONDS = 12;
    private static final String HALT_BEFORE_WRITE_STAMP = "forklift.fault.queue.haltBeforeWriteStamp";
    private static final String HALT_AFTER_WRITE_RUN_CLAIMS = "forklift.fault.queue.haltAfterWriteRunClaims";
    private static final String HALT_AFTER_WRITE_RUN_STAMPS = "forklift.fault.queue.haltAfterWriteRunStamps";
    private static final String HALT_AFTER_READ_RUN_CLAIMS = "forklift.fault.queue.haltAfterReadRunClaims";

    @Test
    void aProducerKilledHoldingAPutAllRunIsRepairedInOneGo() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("dead-put-all").capacity(256)
            .repairAfter(REPAIR_AFTER).build()) {
            final ChildProcess dying = ChildProcess.builder(RepairTasks.BatchPutter.class).role("producer")
                .systemProperty(HALT_AFTER_WRITE_RUN_CLAIMS, "1").args(queue, 1L, 200L).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted holding a run of 200 slots").isEqualTo(137);
            queue.put(1000L);
            assertThat(queue.poll(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the item after the dead run")
                .isEqualTo(1000L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(200);
        }
    }

    @Test
    void aProducerKilledWhileStampingItsRunLeavesNoSlotWaitingForItsPid() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("dead-stamping").capacity(256)
            .repairAfter(REPAIR_AFTER).build()) {
            final ChildProcess dying = ChildProcess.builder(RepairTasks.BatchPutter.class).role("producer")
                .systemProperty(HALT_AFTER_WRITE_RUN_STAMPS, "50").args(queue, 1L, 200L).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted after stamping 50 of its 200 slots").isEqualTo(137);
            queue.put(1000L);
            assertThat(queue.poll(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the item after the dead run")
                .isEqualTo(1000L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(200);
        }
    }

    @Test
    void aProducerKilledInsidePutRunInPlaceIsRepairedInOneGo() throws Exception {
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("dead-run-in-place").capacity(256)
            .maxMessageBytes(Long.BYTES).repairAfter(REPAIR_AFTER).build();
             ChildProcess dying = ChildProcess.builder(RepairTasks.InPlaceRunPutter.class).role("producer")
                 .args(queue, 200, 40L).start()) {
            for (long i = 1; i < 40; i++) {
                final byte[] message = queue.poll(30, TimeUnit.SECONDS);
                assertThat(message).as("message %d", i).isNotNull();
                assertThat(RepairTasks.valueOf(message)).isEqualTo(i);
            }
            dying.kill(); // SIGKILL inside the writer of its 40th message, holding 161 slots of its run
            queue.put(RepairTasks.bytesOf(1000L));
            final byte[] after = queue.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertThat(after).as("the message after the dead run").isNotNull();
            assertThat(RepairTasks.valueOf(after)).isEqualTo(1000L);
            assertThat(((SharedQueue<byte[]>) queue).tornCount()).isEqualTo(161);
        }
    }

    @Test
    void aProducerKilledBetweenItsClaimAndItsPidIsRepairedAfterTwiceTheRepairTime() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("dead-unstamped").capacity(16)
            .repairAfter(Duration.ofSeconds(1)).build()) {
            final ChildProcess dying = ChildProcess.builder(RepairTasks.Counter.class).role("producer")
                .systemProperty(HALT_BEFORE_WRITE_STAMP, "3").args(queue, 1L, 10L).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted after its 3rd claim, before writing its pid").isEqualTo(137);
            queue.put(100L);
            assertThat(queue.poll(30, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(queue.poll(30, TimeUnit.SECONDS)).isEqualTo(2L);
            // Twice the repair time is 2 s; ten times (20 s by default) it used to be.
            assertThat(queue.poll(7, TimeUnit.SECONDS)).as("the item after the slot without a pid").isEqualTo(100L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    @Test
    void aConsumerKilledHoldingATakeIntoRunIsRepairedInOneGo() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("dead-take-into").capacity(256)
            .repairAfter(REPAIR_AFTER).build()) {
            queue.putAll(range(1, 256)); // full
            final ChildProcess dying = ChildProcess.builder(RepairTasks.BatchTaker.class).role("consumer")
                .systemProperty(HALT_AFTER_READ_RUN_CLAIMS, "1").args(queue).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted holding a run of 256 slots").isEqualTo(137);
            // Freeing one slot per repair check (every 100 ms) took 25 s.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_FOR_RELEASES_SECONDS);
            long next = 1000;
            while (next < 1256 && queue.offer(next, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                next++;
            }
            assertThat(next - 1000).as("items put into the slots of the dead consumer's run").isEqualTo(256);
            assertThat(((SharedQueue<Long>) queue).abandonedCount()).isEqualTo(256);
            final List<Long> rest = new ArrayList<>();
            queue.drainTo(rest, 256);
            assertThat(rest).containsExactlyElementsOf(range(1000, 256));
        }
    }

    @Test
    void repairSlotsHeldByADeadProducerTearsItsWholeRunAtOnce() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("known-dead-producer").capacity(256)
            .repairAfter(Duration.ofHours(1)).build()) {
            final ChildProcess dying = ChildProcess.builder(RepairTasks.BatchPutter.class).role("producer")
                .systemProperty(HALT_AFTER_WRITE_RUN_STAMPS, "70").args(queue, 1L, 100L).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted after stamping 70 of its 100 slots").isEqualTo(137);
            queue.put(1000L);
            assertThat(((SharedQueue<Long>) queue).repairSlotsHeldBy(dying.pid())).isEqualTo(100);
            assertThat(queue.poll()).as("at once, without waiting for the repair time").isEqualTo(1000L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(100);
            assertThat(((SharedQueue<Long>) queue).repairSlotsHeldBy(dying.pid())).as("nothing left to repair")
                .isZero();
        }
    }

    @Test
    void repairSlotsHeldByADeadConsumerFreesItsSlotsAtOnce() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("known-dead-consumer").capacity(64)
            .repairAfter(Duration.ofHours(1)).build()) {
            queue.putAll(range(1, 64));
            final ChildProcess dying = ChildProcess.builder(RepairTasks.BatchTaker.class).role("consumer")
                .systemProperty(HALT_AFTER_READ_RUN_CLAIMS, "1").args(queue).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted holding a run of 64 slots").isEqualTo(137);
            assertThat(queue.offer(1000L)).as("full: the dead consumer holds every slot").isFalse();
            assertThat(((SharedQueue<Long>) queue).repairSlotsHeldBy(dying.pid())).isEqualTo(64);
            assertThat(queue.offer(1000L)).as("at once, without waiting for the repair time").isTrue();
            assertThat(((SharedQueue<Long>) queue).abandonedCount()).isEqualTo(64);
            assertThat(queue.poll()).isEqualTo(1000L);
        }
    }

    private static List<Long> range(final long from, final long count) {
        return LongStream.range(from, from + count).boxed().collect(Collectors.toList());
    }
}
