package dev.forklift.queue.internal;

import dev.forklift.queue.QueueSlotRepairedException;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.shm.AtomicMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HEADER_LENGTH;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_HOLDER_PID_OFFSET;
import static dev.forklift.queue.internal.QueueDescriptor.SLOT_SEQUENCE_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Races between a repair and the slot's next owners, played deterministically: several "processes" are
 * {@link SlotRing}s over one memory, each with a pid of its own and a {@link HolderLiveness} that takes the pids of
 * {@link #dead} for dead; a repairer can be held inside its liveness check, that is after it has decided that a
 * holder is dead and before it acts on that decision, while the others repair the same slot and lap the ring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepairRaceTest {
    private static final int SLOT_COUNT = 2;
    private static final int MAX_MESSAGE_BYTES = Long.BYTES;
    /** Repair after 1 ms of waiting: the repair checks then come every 100 ms (the stall watch's interval). */
    private static final QueueTimeouts FAST_REPAIR = new QueueTimeouts(1_000_000L, 0);
    private static final int DYING_PID = 1001;

    private final AtomicMemory memory = newMemory();
    private final Set<Integer> dead = ConcurrentHashMap.newKeySet();

    @Test
    void aRepairerHeldAfterItsCheckDoesNotTearTheMessageOfTheNextLapInTheSameSlot() throws Exception {
        final SlotRing dying = ring(DYING_PID, null);
        final Pause pause = new Pause();
        final SlotRing slowRepairer = ring(2001, pause);
        final SlotRing repairer = ring(2002, null);
        final SlotRing producer = ring(3001, null);
        assertThat(dying.claimForWrite(deadlineInMs(1000))).isZero(); // claimed, never published
        dead.add(DYING_PID);
        final FutureTask<Long> slowTake = inThread(() -> take(slowRepairer, 20_000));
        pause.awaitReached();

        assertThat(take(repairer, 2000)).as("the torn slot is skipped; nothing else is there yet").isNull();
        assertThat(repairer.tornCount()).isEqualTo(1);
        put(producer, 11); // position 1
        put(producer, 22); // position 2: the slot of position 0, one lap later
        pause.release();

        assertThat(slowTake.get(30, TimeUnit.SECONDS)).isEqualTo(11);
        assertThat(take(repairer, 2000)).as("the live message one lap after the torn one").isEqualTo(22);
        assertThat(repairer.tornCount()).isEqualTo(1);
    }

    @Test
    void aRepairerHeldAfterItsCheckDoesNotFreeTheSlotALiveReaderHoldsOneLapLater() throws Exception {
        final SlotRing producer = ring(3001, null);
        final SlotRing dying = ring(DYING_PID, null);
        final Pause pause = new Pause();
        final SlotRing slowRepairer = ring(2001, pause);
        final SlotRing repairer = ring(2002, null);
        final SlotRing reader = ring(4001, null);
        put(producer, 10);
        put(producer, 11); // full
        assertThat(dying.claimMessageForRead(deadlineInMs(1000))).isZero(); // claimed, never released
        dead.add(DYING_PID);
        final FutureTask<Long> slowPut = inThread(() -> put(slowRepairer, 33));
        pause.awaitReached();

        assertThat(put(repairer, 22)).as("written into the freed slot, one lap later").isEqualTo(2);
        assertThat(take(reader, 2000)).isEqualTo(11);
        final long held = reader.claimMessageForRead(deadlineInMs(2000));
        assertThat(held).as("the live reader holds the slot of positions 0 and 2").isEqualTo(2);
        pause.release();
        assertThat(slowPut.get(30, TimeUnit.SECONDS)).isEqualTo(3);

        final int slot = reader.slotOffset(held);
        assertThat(memory.getIntVolatile(slot + SLOT_HOLDER_PID_OFFSET)).as("the live reader's pid in its slot")
            .isEqualTo(4001);
        assertThat(ring(5001, null).claimForWrite(deadlineInMs(500))).as("no producer may take the live reader's slot")
            .isEqualTo(SlotRing.NO_POSITION);
        assertThat(memory.getLong(slot + SLOT_HEADER_LENGTH)).isEqualTo(22);
        reader.release(slot, held);
        assertThat(take(reader, 2000)).isEqualTo(33);
        assertThat(reader.abandonedCount()).isEqualTo(1);
    }

    @Test
    void aPublishOfASlotRepairedMeanwhileFailsAndNeverMovesItsSequenceBack() throws Exception {
        final SlotRing takenForDead = ring(DYING_PID, null); // alive, but the others take it for dead
        final SlotRing consumer = ring(2002, null);
        final SlotRing producer = ring(3001, null);
        final long position = takenForDead.claimForWrite(deadlineInMs(1000));
        dead.add(DYING_PID);
        assertThat(take(consumer, 2000)).as("the slot is torn and skipped").isNull();
        put(producer, 11);

        final int slot = takenForDead.slotOffset(position);
        assertThatThrownBy(() -> takenForDead.publish(slot, position, Long.BYTES))
            .isInstanceOf(QueueSlotRepairedException.class).hasMessageContaining("position 0");
        assertThat(memory.getLongVolatile(slot + SLOT_SEQUENCE_OFFSET)).as("free for position 2, as the repair left it")
            .isEqualTo(2);
        put(producer, 22);
        assertThat(take(consumer, 2000)).isEqualTo(11);
        assertThat(take(consumer, 2000)).isEqualTo(22);
        assertThat(consumer.tornCount()).isEqualTo(1);
    }

    @Test
    void aReleaseOfASlotRepairedMeanwhileFailsAndNeverMovesItsSequenceBack() throws Exception {
        final SlotRing producer = ring(3001, null);
        final SlotRing takenForDead = ring(DYING_PID, null); // alive, but the others take it for dead
        final SlotRing repairer = ring(2002, null);
        final SlotRing consumer = ring(4001, null);
        put(producer, 10);
        put(producer, 11);
        final long position = takenForDead.claimMessageForRead(deadlineInMs(1000));
        dead.add(DYING_PID);
        assertThat(put(repairer, 22)).as("the repairer frees the slot and writes into it").isEqualTo(2);

        final int slot = takenForDead.slotOffset(position);
        assertThatThrownBy(() -> takenForDead.release(slot, position))
            .isInstanceOf(QueueSlotRepairedException.class).hasMessageContaining("position 0");
        assertThat(memory.getLongVolatile(slot + SLOT_SEQUENCE_OFFSET)).as("published for position 2")
            .isEqualTo(3);
        assertThat(take(consumer, 2000)).isEqualTo(11);
        assertThat(take(consumer, 2000)).as("the item published after the repair").isEqualTo(22);
        assertThat(consumer.abandonedCount()).isEqualTo(1);
    }

    /** One "process" over the shared memory: it stamps {@code pid}, takes the pids of {@link #dead} for dead. */
    private SlotRing ring(final int pid, final Pause pauseInCheck) {
        return new SlotRing(memory, "race", WaitStrategy.defaultStrategy(), FAST_REPAIR, new HolderLiveness() {
            @Override
            public int ownPid() {
                return pid;
            }

            @Override
            public boolean isAlive(final int holderPid) {
                final boolean alive = !dead.contains(holderPid);
                if (pauseInCheck != null) {
                    pauseInCheck.holdOnce();
                }
                return alive;
            }
        });
    }

    private long put(final SlotRing ring, final long value) throws InterruptedException {
        final long position = ring.claimForWrite(deadlineInMs(20_000));
        assertThat(position).as("claimed a slot to write %d", value).isNotEqualTo(SlotRing.NO_POSITION);
        final int slot = ring.slotOffset(position);
        memory.putLong(slot + SLOT_HEADER_LENGTH, value);
        ring.publish(slot, position, Long.BYTES);
        return position;
    }

    /** @return the next message, or null if none came before the deadline. */
    private Long take(final SlotRing ring, final long timeoutMs) throws InterruptedException {
        final long position = ring.claimMessageForRead(deadlineInMs(timeoutMs));
        if (position == SlotRing.NO_POSITION) {
            return null;
        }
        final int slot = ring.slotOffset(position);
        final long value = memory.getLong(slot + SLOT_HEADER_LENGTH);
        ring.release(slot, position);
        return value;
    }

    private static long deadlineInMs(final long timeoutMs) {
        return SlotRing.deadlineNs(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private static AtomicMemory newMemory() {
        final int slotStride = QueueDescriptor.slotStride(MAX_MESSAGE_BYTES);
        final AtomicMemory memory = new AtomicMemory(
            ByteBuffer.allocateDirect((int) QueueDescriptor.fileLength(SLOT_COUNT, slotStride)));
        SlotRing.initialise(memory, SLOT_COUNT, slotStride, MAX_MESSAGE_BYTES);
        return memory;
    }

    private static <V> FutureTask<V> inThread(final Callable<V> body) {
        final FutureTask<V> task = new FutureTask<>(body);
        final Thread thread = new Thread(task, "slow-repairer");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** Holds the first thread that checks a holder's liveness until released. */
    private static final class Pause {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void holdOnce() {
            if (reached.getCount() == 0) {
                return;
            }
            reached.countDown();
            try {
                released.await();
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitReached() throws InterruptedException {
            assertThat(reached.await(20, TimeUnit.SECONDS)).as("the slow repairer reached its liveness check").isTrue();
        }

        void release() {
            released.countDown();
        }
    }
}
