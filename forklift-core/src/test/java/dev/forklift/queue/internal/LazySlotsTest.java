package dev.forklift.queue.internal;

import dev.forklift.queue.WaitStrategy;
import dev.forklift.shm.AtomicMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.HEADER_LENGTH;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue's creation writes no slot (so it faults in no slot page): a zero sequence word stands for its slot's index
 * ({@link SlotSequence}); items, full and empty waits and repairs work from such slots, in the first lap and after.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LazySlotsTest {
    private static final int SLOT_COUNT = 4;
    private static final int MAX_MESSAGE_BYTES = Long.BYTES;
    private static final QueueTimeouts FAST_REPAIR = new QueueTimeouts(1_000_000L, 0);
    private static final int DYING_PID = 1001;

    private final int slotStride = QueueDescriptor.slotStride(MAX_MESSAGE_BYTES);
    private final AtomicMemory memory = new AtomicMemory(
        ByteBuffer.allocateDirect((int) QueueDescriptor.fileLength(SLOT_COUNT, slotStride)));
    private final Set<Integer> dead = ConcurrentHashMap.newKeySet();

    @Test
    void creatingAQueueWritesNoByteOfItsSlots() {
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        for (int offset = HEADER_LENGTH; offset < HEADER_LENGTH + SLOT_COUNT * slotStride; offset += Long.BYTES) {
            assertThat(memory.getLong(offset)).as("word at offset %d", offset).isZero();
        }
    }

    @Test
    void itemsGoThroughManyLapsWithFullAndEmptyWaits() throws Exception {
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        final SlotRing producer = ring(3001);
        final SlotRing consumer = ring(4001);
        long next = 0;
        for (int lap = 0; lap < 5; lap++) {
            for (int i = 0; i < SLOT_COUNT; i++) {
                put(producer, 100 + lap * SLOT_COUNT + i);
            }
            assertThat(producer.claimForWrite(SlotRing.deadlineNs(20, TimeUnit.MILLISECONDS))).as("full in lap %d", lap)
                .isEqualTo(SlotRing.NO_POSITION);
            for (int i = 0; i < SLOT_COUNT; i++) {
                assertThat(take(consumer, 2000)).isEqualTo(100 + next++);
            }
            assertThat(take(consumer, 20)).as("empty in lap %d", lap).isNull();
        }
    }

    @Test
    void aDeadProducersFirstLapSlotIsTornAndTheQueueGoesOn() throws Exception {
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        final SlotRing dying = ring(DYING_PID);
        final SlotRing producer = ring(3001);
        final SlotRing consumer = ring(4001);
        put(producer, 7);
        assertThat(dying.claimForWrite(SlotRing.deadlineNs(1000, TimeUnit.MILLISECONDS))).isEqualTo(1);
        dead.add(DYING_PID);
        put(producer, 8);
        assertThat(take(consumer, 2000)).isEqualTo(7);
        assertThat(take(consumer, 5000)).as("position 1 torn and skipped").isEqualTo(8);
        assertThat(consumer.tornCount()).isEqualTo(1);
        for (int i = 0; i < 3 * SLOT_COUNT; i++) {
            put(producer, i);
            assertThat(take(consumer, 2000)).isEqualTo(i);
        }
    }

    private SlotRing ring(final int pid) {
        return new SlotRing(memory, "lazy", WaitStrategy.defaultStrategy(), FAST_REPAIR, new HolderLiveness() {
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

    private void put(final SlotRing ring, final long value) throws InterruptedException {
        final long position = ring.claimForWrite(SlotRing.deadlineNs(20_000, TimeUnit.MILLISECONDS));
        assertThat(position).as("claimed a slot to write %d", value).isNotEqualTo(SlotRing.NO_POSITION);
        final int slot = ring.slotOffset(position);
        memory.putLong(slot + SLOT_HEADER_LENGTH, value);
        ring.publish(slot, position, Long.BYTES);
    }

    private Long take(final SlotRing ring, final long timeoutMs) throws InterruptedException {
        while (true) {
            final long position = ring.claimMessageForRead(SlotRing.deadlineNs(timeoutMs, TimeUnit.MILLISECONDS));
            if (position == SlotRing.NO_POSITION) {
                return null;
            }
            final int slot = ring.slotOffset(position);
            final int length = ring.messageLength(slot);
            final long value = memory.getLong(slot + SLOT_HEADER_LENGTH);
            ring.release(slot, position);
            if (SlotRing.carriesMessage(length)) {
                return value;
            }
        }
    }
}
