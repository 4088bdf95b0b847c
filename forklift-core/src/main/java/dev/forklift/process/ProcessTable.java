package dev.forklift.process;

import dev.forklift.ForkliftException;
import dev.forklift.process.internal.SelfRow;
import dev.forklift.process.internal.StatusBoardDescriptor;
import dev.forklift.process.internal.StatusRow;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The live table of Forklift processes of the current user, read from the status boards in the shared-memory
 * directory. Each process that starts children owns one board (created when it starts its first child, deleted at
 * its normal exit, reclaimed after a crash); row 0 describes the owner, the other rows its children.
 *
 * <p>{@link #snapshot()} may be called from any process of the same user, Forklift parent or not (for example a
 * {@code forklift ps} command); it maps each board, copies its rows and never blocks. {@link #self()} is the
 * current process's own row, which it may update (role, state, items).
 */
public final class ProcessTable {
    private ProcessTable() {
    }

    /**
     * Reads every live status board of the current user.
     *
     * @return one row per published process, ordered by board owner then pid; rows of boards whose owner died are
     * not included.
     */
    public static List<ProcessRow> snapshot() {
        return snapshot(SharedMemoryDirectory.current());
    }

    /**
     * Reads every live status board in the given directory.
     *
     * @param directory the shared-memory directory.
     * @return one row per published process.
     */
    public static List<ProcessRow> snapshot(final SharedMemoryDirectory directory) {
        return snapshot(directory, owner -> true);
    }

    /**
     * Reads the live status boards of some owners in the given directory; the others are not even opened.
     *
     * @param directory the shared-memory directory.
     * @param ownerPids which board owners to read.
     * @return one row per published process of those boards.
     */
    public static List<ProcessRow> snapshot(final SharedMemoryDirectory directory, final LongPredicate ownerPids) {
        final List<ProcessRow> rows = new ArrayList<>();
        final long nowMs = System.currentTimeMillis();
        for (final Path path : directory.liveFiles("status", ownerPids)) {
            final MappedFile board;
            try {
                board = MappedFile.open(path);
            } catch (final ForkliftException ex) {
                continue; // Deleted meanwhile.
            }
            try (board) {
                readBoard(board, nowMs, rows);
            }
        }
        rows.sort(Comparator.comparingLong(ProcessRow::boardOwnerPid).thenComparingLong(ProcessRow::pid));
        return rows;
    }

    private static void readBoard(final MappedFile board, final long nowMs, final List<ProcessRow> rows) {
        final var buffer = board.buffer();
        if (board.lengthBytes() < StatusBoardDescriptor.HEADER_LENGTH
            || buffer.getIntVolatile(StatusBoardDescriptor.MAGIC_OFFSET) != StatusBoardDescriptor.MAGIC
            || buffer.getInt(StatusBoardDescriptor.VERSION_OFFSET) != StatusBoardDescriptor.VERSION
            || buffer.getInt(StatusBoardDescriptor.ROW_LENGTH_OFFSET) != StatusBoardDescriptor.ROW_LENGTH) {
            return;
        }
        final long owner = buffer.getLong(StatusBoardDescriptor.OWNER_PID_OFFSET);
        final int rowCount = Math.min(buffer.getInt(StatusBoardDescriptor.ROW_COUNT_OFFSET),
            (int) ((board.lengthBytes() - StatusBoardDescriptor.HEADER_LENGTH) / StatusBoardDescriptor.ROW_LENGTH));
        for (int i = 0; i < rowCount; i++) {
            final StatusRow row = new StatusRow(buffer, i);
            if (!row.inUse()) {
                continue;
            }
            final String[] text = row.text();
            final long pid = row.pid();
            final boolean alive = pid != 0 && ProcessHandle.of(pid).isPresent(); // of() is empty unless alive: one look
            final WorkStamp stamp = row.workStamp();
            final long taskAgeMs = stamp == WorkStamp.NONE ? -1
                : Math.max(0, (System.nanoTime() - stamp.nanoTime()) / 1_000_000);
            rows.add(new ProcessRow(owner, pid, row.parentPid(), text[0], text[1], text[2], row.itemsDone(),
                Math.max(0, nowMs - row.heartbeatMs()), row.startMs(), alive, Math.max(0, stamp.unit()), taskAgeMs));
        }
    }

    /**
     * The row describing the current process: its row in its parent's board when it is a Forklift child, else row
     * 0 of its own board (created on the first call). Call from the process itself.
     *
     * @return a handle to update the row.
     */
    public static Self self() {
        return new Self(SelfRow.get());
    }

    /** The current process's own row. Thread-safe; nothing blocks. */
    public static final class Self {
        private final StatusRow row;

        private Self(final StatusRow row) {
            this.row = row;
        }

        /**
         * @param role the role shown for this process (at most 15 characters kept), such as {@code parent}.
         * @return this.
         */
        public Self role(final String role) {
            row.role(role);
            return this;
        }

        /**
         * @param state the state shown for this process (at most 15 characters kept).
         * @return this.
         */
        public Self state(final String state) {
            row.state(state);
            return this;
        }

        /**
         * @param items items just finished; not negative.
         * @return this.
         */
        public Self addItemsDone(final long items) {
            if (items < 0) {
                throw new IllegalArgumentException("items must not be negative: items=" + items);
            }
            row.addItemsDone(items);
            return this;
        }

        /** @return this process's count of items done. */
        public long itemsDone() {
            return row.itemsDone();
        }
    }
}
