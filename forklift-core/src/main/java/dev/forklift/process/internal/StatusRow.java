package dev.forklift.process.internal;

import dev.forklift.process.WorkStamp;
import dev.forklift.shm.AtomicMemory;

import static dev.forklift.process.internal.StatusBoardDescriptor.*;

/**
 * One row of a status board (see {@link StatusBoardDescriptor}), read or written in place in shared memory.
 * Thread-safe; never blocks (a reader of the text fields spins briefly while a writer is mid-update).
 *
 * <p>Internal; not API.
 */
public final class StatusRow {
    private static final int TEXT_READ_ATTEMPTS = 1_000;

    private final AtomicMemory buffer;
    private final int offset;

    /**
     * @param buffer the mapped board.
     * @param index  the row index.
     */
    public StatusRow(final AtomicMemory buffer, final int index) {
        this.buffer = buffer;
        this.offset = rowOffset(index);
    }

    /**
     * Fills the row and publishes it (in-use set last).
     *
     * @param pid       the process pid, 0 when not yet known.
     * @param parentPid the parent pid.
     * @param role      the role.
     * @param name      the name.
     * @param state     the state.
     * @param startMs   the start time, epoch ms.
     */
    public void publish(final long pid, final long parentPid, final String role, final String name,
        final String state, final long startMs) {
        buffer.putLongRelease(offset + PID_OFFSET, pid);
        buffer.putLongRelease(offset + PARENT_PID_OFFSET, parentPid);
        buffer.putLongRelease(offset + ITEMS_DONE_OFFSET, 0);
        buffer.putLongRelease(offset + HEARTBEAT_MS_OFFSET, startMs);
        buffer.putLongRelease(offset + START_MS_OFFSET, startMs);
        writeText(role, name, state);
        buffer.putLongRelease(offset + WORK_UNIT_OFFSET, 0);
        buffer.putLongRelease(offset + WORK_NANOS_OFFSET, 0);
        buffer.putIntRelease(offset + IN_USE_OFFSET, 1);
    }

    /** Marks the row free. */
    public void release() {
        buffer.putIntRelease(offset + IN_USE_OFFSET, 0);
    }

    /** @return true when the row describes a process. */
    public boolean inUse() {
        return buffer.getIntVolatile(offset + IN_USE_OFFSET) == 1;
    }

    /** @param pid the pid of the process the row describes. */
    public void pid(final long pid) {
        buffer.putLongRelease(offset + PID_OFFSET, pid);
    }

    /** @return the pid of the process the row describes. */
    public long pid() {
        return buffer.getLongVolatile(offset + PID_OFFSET);
    }

    /** @return the parent pid. */
    public long parentPid() {
        return buffer.getLongVolatile(offset + PARENT_PID_OFFSET);
    }

    /**
     * @param items items just finished; not negative.
     * @return the new total.
     */
    public long addItemsDone(final long items) {
        return buffer.getAndAddLong(offset + ITEMS_DONE_OFFSET, items) + items;
    }

    /** @return the items done. */
    public long itemsDone() {
        return buffer.getLongVolatile(offset + ITEMS_DONE_OFFSET);
    }

    /** Records a heartbeat now. */
    public void heartbeat() {
        buffer.putLongRelease(offset + HEARTBEAT_MS_OFFSET, System.currentTimeMillis());
    }

    /** @return the last heartbeat, epoch ms. */
    public long heartbeatMs() {
        return buffer.getLongVolatile(offset + HEARTBEAT_MS_OFFSET);
    }

    /**
     * Publishes a work stamp (one writer: the child's task).
     *
     * @param unit     the unit, not 0.
     * @param nanoTime the child's {@link System#nanoTime()}.
     */
    public void workStamp(final long unit, final long nanoTime) {
        buffer.putLongRelease(offset + WORK_UNIT_OFFSET, 0);
        buffer.putLongRelease(offset + WORK_NANOS_OFFSET, nanoTime);
        buffer.putLongRelease(offset + WORK_UNIT_OFFSET, unit);
    }

    /** @return the last work stamp, read consistently; {@link WorkStamp#NONE} if none or while it is rewritten. */
    public WorkStamp workStamp() {
        for (int attempt = 0; attempt < TEXT_READ_ATTEMPTS; attempt++) {
            final long unit = buffer.getLongVolatile(offset + WORK_UNIT_OFFSET);
            final long nanoTime = buffer.getLongVolatile(offset + WORK_NANOS_OFFSET);
            if (unit != 0 && buffer.getLongVolatile(offset + WORK_UNIT_OFFSET) == unit) {
                return new WorkStamp(unit, nanoTime);
            }
            if (unit == 0 && nanoTime == 0) {
                return WorkStamp.NONE;
            }
            Thread.onSpinWait();
        }
        return WorkStamp.NONE;
    }

    /** @return the start time, epoch ms. */
    public long startMs() {
        return buffer.getLongVolatile(offset + START_MS_OFFSET);
    }

    /** @param state the new state (truncated to 15 ASCII characters). */
    public void state(final String state) {
        writeText(null, null, state);
    }

    /** @param role the new role (truncated to 15 ASCII characters). */
    public void role(final String role) {
        writeText(role, null, null);
    }

    /** @return role, name and state, read consistently. */
    public String[] text() {
        for (int attempt = 0; attempt < TEXT_READ_ATTEMPTS; attempt++) {
            final int before = buffer.getIntVolatile(offset + TEXT_SEQUENCE_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            final String[] text = {
                readString(ROLE_OFFSET, ROLE_MAX_LENGTH),
                readString(NAME_OFFSET, NAME_MAX_LENGTH),
                readString(STATE_OFFSET, STATE_MAX_LENGTH)};
            java.lang.invoke.VarHandle.acquireFence();
            if (buffer.getIntVolatile(offset + TEXT_SEQUENCE_OFFSET) == before) {
                return text;
            }
        }
        return new String[] {"?", "?", "?"};
    }

    private synchronized void writeText(final String role, final String name, final String state) {
        final int sequence = buffer.getIntVolatile(offset + TEXT_SEQUENCE_OFFSET);
        final int writing = (sequence & 1) == 0 ? sequence + 1 : sequence + 2;
        buffer.putIntVolatile(offset + TEXT_SEQUENCE_OFFSET, writing);
        if (role != null) {
            writeString(ROLE_OFFSET, ROLE_MAX_LENGTH, role);
        }
        if (name != null) {
            writeString(NAME_OFFSET, NAME_MAX_LENGTH, name);
        }
        if (state != null) {
            writeString(STATE_OFFSET, STATE_MAX_LENGTH, state);
        }
        buffer.putIntRelease(offset + TEXT_SEQUENCE_OFFSET, writing + 1);
    }

    private void writeString(final int fieldOffset, final int maxLength, final String value) {
        final int length = Math.min(value.length(), maxLength);
        final byte[] field = new byte[1 + maxLength];
        field[0] = (byte) length;
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            field[1 + i] = (byte) (c >= 0x20 && c < 0x7F ? c : '?');
        }
        buffer.putBytes(offset + fieldOffset, field);
    }

    private String readString(final int fieldOffset, final int maxLength) {
        final byte[] field = buffer.getBytes(offset + fieldOffset, 1 + maxLength);
        final int length = Math.min(field[0] & 0xFF, maxLength);
        return new String(field, 1, length, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
