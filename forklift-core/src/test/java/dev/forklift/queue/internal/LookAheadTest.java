package dev.forklift.queue.internal;

import dev.forklift.queue.WaitStrategy;
import dev.forklift.shm.AtomicMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a waiter reads while it spins ({@link SlotRing#roomAhead}, {@link SlotRing#workAhead}): a producer on a full
 * ring looks at the slot a quarter of the ring on (at most 32) until the consumers have freed it, a consumer on an
 * empty ring at the slot as far on until a producer has published it; each comes back to its own slot at every 8th
 * check and once its spinning is over, so a lone item or a lone free slot is never missed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LookAheadTest {
    private static final int SLOT_COUNT = 64;
    private static final int LOOK_AHEAD = 16;
    private static final int MAX_MESSAGE_BYTES = Long.BYTES;

    private final int slotStride = QueueDescriptor.slotStride(MAX_MESSAGE_BYTES);
    private final AtomicMemory memory = new AtomicMemory(
        ByteBuffer.allocateDirect((int) QueueDescriptor.fileLength(SLOT_COUNT, slotStride)));

    @Test
    void aConsumerOnAnEmptyRingLooksAtItsOwnSlotOnlyEvery8thCheckUntilARunIsPublished() throws Exception {
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        final SlotRing ring = ring();
        put(ring, 1);
        assertThat(ring.workAhead(0, 0)).as("the first check of a wait").isTrue();
        assertThat(ring.workAhead(0, 1)).as("one item published, the run not").isFalse();
        assertThat(ring.workAhead(0, 7)).isFalse();
        assertThat(ring.workAhead(0, 8)).as("every 8th check").isTrue();
        assertThat(ring.workAhead(0, 256)).as("spinning over").isTrue();
        for (int i = 1; i <= LOOK_AHEAD; i++) {
            put(ring, i + 1);
        }
        assertThat(ring.workAhead(0, 1)).as("the slot %d on published", LOOK_AHEAD).isTrue();
    }

    @Test
    void aProducerOnAFullRingLooksAtItsOwnSlotOnlyEvery8thCheckUntilARunIsFree() throws Exception {
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        final SlotRing ring = ring();
        for (int i = 0; i < SLOT_COUNT; i++) {
            put(ring, i);
        }
        final long tail = ring.tailPosition();
        take(ring);
        assertThat(ring.roomAhead(tail, 1)).as("one slot free, the run not").isFalse();
        assertThat(ring.roomAhead(tail, 8)).as("every 8th check").isTrue();
        assertThat(ring.roomAhead(tail, 300)).as("spinning over").isTrue();
        for (int i = 1; i <= LOOK_AHEAD; i++) {
            take(ring);
        }
        assertThat(ring.roomAhead(tail, 1)).as("the slot %d on free", LOOK_AHEAD).isTrue();
    }

    @Test
    void aLoneItemAndALoneFreeSlotStillReachTheirWaiters() throws Exception {
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        final SlotRing ring = ring();
        final Thread late = new Thread(() -> {
            try {
                Thread.sleep(50);
                put(ring, 42);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        late.start();
        assertThat(take(ring)).isEqualTo(42);
        late.join();
        for (int i = 0; i < SLOT_COUNT; i++) {
            put(ring, i);
        }
        final Thread taker = new Thread(() -> {
            try {
                Thread.sleep(50);
                take(ring);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        taker.start();
        put(ring, 99);
        taker.join();
        assertThat(ring.size()).isEqualTo(SLOT_COUNT);
    }

    private SlotRing ring() {
        return new SlotRing(memory, "look-ahead", WaitStrategy.defaultStrategy(), new QueueTimeouts(0, 0));
    }

    private void put(final SlotRing ring, final long value) throws InterruptedException {
        final long position = ring.claimForWrite(SlotRing.deadlineNs(20_000, TimeUnit.MILLISECONDS));
        assertThat(position).as("claimed a slot to write %d", value).isNotEqualTo(SlotRing.NO_POSITION);
        final int slot = ring.slotOffset(position);
        memory.putLong(slot + QueueDescriptor.SLOT_HEADER_LENGTH, value);
        ring.publish(slot, position, Long.BYTES);
    }

    private long take(final SlotRing ring) throws InterruptedException {
        final long position = ring.claimMessageForRead(SlotRing.deadlineNs(20_000, TimeUnit.MILLISECONDS));
        assertThat(position).isNotEqualTo(SlotRing.NO_POSITION);
        final int slot = ring.slotOffset(position);
        final long value = memory.getLong(slot + QueueDescriptor.SLOT_HEADER_LENGTH);
        ring.release(slot, position);
        return value;
    }
}
