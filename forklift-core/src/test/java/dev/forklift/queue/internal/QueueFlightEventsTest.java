package dev.forklift.queue.internal;

import dev.forklift.queue.WaitStrategy;
import dev.forklift.shm.AtomicMemory;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's flight-recorder events, played in one JVM: "processes" are {@link SlotRing}s over one memory, one
 * of which is taken for dead while it holds a slot (as in {@link RepairRaceTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueFlightEventsTest {
    private static final int MAX_MESSAGE_BYTES = Long.BYTES;
    private static final QueueTimeouts FAST_REPAIR = new QueueTimeouts(1_000_000L, 0);
    private static final int DYING_PID = 1001;

    private final Set<Integer> dead = ConcurrentHashMap.newKeySet();

    @Test
    void aWaitOverTheThresholdAndARepairAreRecorded(@TempDir final Path dir) throws Exception {
        final AtomicMemory memory = newMemory(2);
        final Path file = dir.resolve("queue.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.forklift.QueueWait").withThreshold(java.time.Duration.ofMillis(1));
            recording.enable("dev.forklift.QueueRepair");
            recording.start();
            final SlotRing dying = ring(memory, DYING_PID);
            final SlotRing consumer = ring(memory, 2002);
            assertThat(dying.claimForWrite(deadlineInMs(1000))).isZero(); // claimed, never published
            dead.add(DYING_PID);
            assertThat(consumer.claimMessageForRead(deadlineInMs(300))).as("torn slot skipped, then nothing")
                .isEqualTo(SlotRing.NO_POSITION);
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.forklift.QueueRepair"))
            .singleElement().satisfies(e -> {
                assertThat(e.getString("queue")).isEqualTo("flight");
                assertThat(e.getString("kind")).isEqualTo("torn");
                assertThat(e.getInt("holderPid")).isEqualTo(DYING_PID);
            });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.forklift.QueueWait"))
            .anySatisfy(e -> {
                assertThat(e.getString("operation")).isEqualTo("take");
                assertThat(e.getBoolean("timedOut")).isTrue();
                assertThat(e.getDuration().toMillis()).isGreaterThanOrEqualTo(1);
            });
    }

    @Test
    void aClaimThatNeverWaitsRecordsNoWait(@TempDir final Path dir) throws Exception {
        final AtomicMemory memory = newMemory(4);
        final Path file = dir.resolve("fast.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.forklift.QueueWait").withThreshold(java.time.Duration.ZERO);
            recording.start();
            final SlotRing ring = ring(memory, 2002);
            final long position = ring.claimForWrite(deadlineInMs(1000));
            final int slot = ring.slotOffset(position);
            memory.putLong(slot + SLOT_HEADER_LENGTH, 7);
            ring.publish(slot, position, Long.BYTES);
            assertThat(ring.claimMessageForRead(deadlineInMs(1000))).isZero();
            recording.stop();
            recording.dump(file);
        }
        assertThat(RecordingFile.readAllEvents(file))
            .noneMatch(e -> e.getEventType().getName().equals("dev.forklift.QueueWait"));
    }

    private SlotRing ring(final AtomicMemory memory, final int pid) {
        return new SlotRing(memory, "flight", WaitStrategy.defaultStrategy(), FAST_REPAIR, new HolderLiveness() {
            @Override
            public int ownPid() {
                return pid;
            }

            @Override
            public boolean isAlive(final int holderPid) {
                return !dead.contains(holderPid);
            }
        });
    }

    private static long deadlineInMs(final long timeoutMs) {
        return SlotRing.deadlineNs(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private static AtomicMemory newMemory(final int slotCount) {
        final int slotStride = QueueDescriptor.slotStride(MAX_MESSAGE_BYTES);
        final AtomicMemory memory = new AtomicMemory(
            ByteBuffer.allocateDirect((int) QueueDescriptor.fileLength(slotCount, slotStride)));
        SlotRing.initialise(memory, slotCount, slotStride, MAX_MESSAGE_BYTES);
        return memory;
    }
}
