package dev.forklift.sync;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codecs;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.sync.internal.OwnerLiveness;
import dev.forklift.sync.internal.OwnerStamp;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncKind;

import java.nio.ByteBuffer;

/**
 * One primitive's memory shared by several "processes" inside one JVM, for the jcstress tests of the sync
 * protocols: each role is a semaphore or map handle over the same memory with an owner word of its own; every role
 * takes {@link #DEAD} for dead. It lives in the sync package, on the class path of this test module only, to reach
 * the package-private constructors. One instance per jcstress state.
 */
public final class SyncRig {
    /** The "process" every role judges dead. */
    public static final long DEAD = OwnerStamp.of(1001, 77);

    private final AtomicMemory memory;
    private final SyncKind kind;

    private SyncRig(final SyncKind kind, final int bodyBytes, final int[] params) {
        this.kind = kind;
        this.memory = new AtomicMemory(ByteBuffer.allocateDirect(SyncFile.lengthFor(bodyBytes)));
        SyncFile.initialise(memory, kind, params);
    }

    /** @return a rig of a counting semaphore with that many permits. */
    public static SyncRig semaphore(final int permits) {
        final SyncRig rig = new SyncRig(SyncKind.SEMAPHORE, SharedSemaphore.BODY_LENGTH, new int[] {permits});
        SharedSemaphore.initialiseBody(rig.memory, permits);
        return rig;
    }

    /** @return a rig of a clear event. */
    public static SyncRig event() {
        return new SyncRig(SyncKind.EVENT, SharedEvent.BODY_BYTES, new int[0]);
    }

    /** @return the event as the process with this pid sees it. */
    public SharedEvent eventAs(final long pid) {
        return new SharedEvent(SyncFile.inMemory(memory, kind, liveness(pid)));
    }

    /** @return the word a wait on the event begins with. */
    public static long waitBegins(final SharedEvent event) {
        return event.waitBegins();
    }

    /** @return true if a wait that began with {@code begun} is over now. */
    public static boolean wokenSince(final SharedEvent event, final long begun) {
        return event.wokenSince(begun);
    }

    /** @return a rig of a map of String to String, 16 entries, keys of 16 bytes, values of 64. */
    public static SyncRig map() {
        return new SyncRig(SyncKind.SHARED_MAP, SharedMap.bodyLength(16, 16, 64), new int[] {16, 16, 64});
    }

    /** @return a rig of a condition (its memory) and of its mutex (a memory of its own). */
    public static SyncRig condition() {
        final SyncRig rig = new SyncRig(SyncKind.CONDITION, SharedCondition.BODY_LENGTH,
            new int[] {SharedCondition.DEFAULT_WAITER_SLOTS, SyncKind.MUTEX.code()});
        return rig;
    }

    /** @return the condition as the process with this pid sees it, bound to a private mutex. */
    public SharedCondition conditionAs(final long pid) {
        final AtomicMemory lockMemory = new AtomicMemory(ByteBuffer.allocateDirect(SyncFile.lengthFor(0)));
        SyncFile.initialise(lockMemory, SyncKind.MUTEX, new int[0]);
        return new SharedCondition(SyncFile.inMemory(memory, kind, liveness(pid)),
            new SharedMutex(SyncFile.inMemory(lockMemory, SyncKind.MUTEX, liveness(pid))));
    }

    /** Puts a waiter into a slot (state 1 waiting, 2 signalled, 0 free); -1 only reads. @return the slot's state. */
    public static int slot(final SharedCondition condition, final int slot, final long ownerWord, final long ticket,
        final int state) {
        return condition.plantOrInspectSlot(slot, ownerWord, ticket, state);
    }

    /** Frees dead waiters' slots and passes their signals on, as a waiter does every 100 ms. */
    public static void freeSlotsOfDeadWaiters(final SharedCondition condition) {
        condition.freeSlotsOfDeadWaiters(-1);
    }

    /** @return the semaphore as the process with this pid sees it (pid 1001 is the dead one). */
    public SharedSemaphore semaphoreAs(final long pid) {
        return new SharedSemaphore(SyncFile.inMemory(memory, kind, liveness(pid)));
    }

    /** @return the map as the process with this pid sees it. */
    public SharedMap<String, String> mapAs(final long pid) {
        return new SharedMap<>(SyncFile.inMemory(memory, kind, liveness(pid)),
            Codecs.forType(String.class, AllowList.defaults()), Codecs.forType(String.class, AllowList.defaults()));
    }

    private static OwnerLiveness liveness(final long pid) {
        return OwnerLiveness.playing(pid == OwnerStamp.pid(DEAD) ? DEAD : OwnerStamp.of(pid, 77), DEAD);
    }

    /** Gives the permits of dead holders back, as a waiter of the semaphore does every 100 ms. */
    public static void returnPermitsOfDeadHolders(final SharedSemaphore semaphore) {
        semaphore.returnPermitsOfDeadHolders();
    }
}
