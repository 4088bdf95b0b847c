package dev.forklift.process.internal;

import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.forklift.process.internal.StatusBoardDescriptor.*;

/**
 * The status board this process owns (created on first use, deleted at its normal exit) and the heartbeat
 * thread that keeps this process's own rows fresh. Row 0 describes this process; children get the other rows.
 *
 * <p>Thread-safe. Nothing blocks except file creation on first use. {@link #close()} deletes the board file (the
 * processes that mapped it keep their mapping); the next {@link #current()} creates a new board.
 *
 * <p>Internal; not API.
 */
public final class StatusBoard implements AutoCloseable {
    /** Interval of heartbeats written by a process into its own rows. */
    public static final long HEARTBEAT_INTERVAL_MS = 200;

    private static final Set<StatusRow> HEARTBEAT_ROWS = ConcurrentHashMap.newKeySet();
    private static volatile ScheduledExecutorService heartbeats;
    private static volatile StatusBoard current;

    private final MappedFile file;
    private final StatusRow self;
    private int nextRow = 1;

    private StatusBoard(final MappedFile file) {
        this.file = file;
        final var buffer = file.buffer();
        buffer.putInt(VERSION_OFFSET, VERSION);
        buffer.putInt(ROW_COUNT_OFFSET, ROW_COUNT);
        buffer.putInt(ROW_LENGTH_OFFSET, ROW_LENGTH);
        buffer.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(CREATED_MS_OFFSET, System.currentTimeMillis());
        buffer.putIntRelease(MAGIC_OFFSET, MAGIC);
        this.self = new StatusRow(buffer, 0);
        final ProcessHandle me = ProcessHandle.current();
        final String role = System.getProperty("forklift.role", "parent");
        final String name = System.getProperty("forklift.name", "pid-" + me.pid());
        self.publish(me.pid(), me.parent().map(ProcessHandle::pid).orElse(0L), role, name, "running",
            me.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis()));
        heartbeat(self);
    }

    /** @return this process's board, created on the first call. */
    public static StatusBoard current() {
        StatusBoard board = current;
        if (board == null) {
            synchronized (StatusBoard.class) {
                board = current;
                if (board == null) {
                    board = new StatusBoard(MappedFile.create(SharedMemoryDirectory.current(), "status",
                        "board", BOARD_LENGTH));
                    current = board;
                }
            }
        }
        return board;
    }

    /** @return the path of the board file. */
    public Path path() {
        return file.path();
    }

    /** @return row 0: this process. */
    public StatusRow self() {
        return self;
    }

    /**
     * Takes a free row for a child: never used rows first, then rows whose process is gone.
     *
     * @return the row index.
     * @throws IllegalStateException if every row describes a live process.
     */
    public synchronized int allocateRow() {
        if (nextRow < ROW_COUNT) {
            return nextRow++;
        }
        for (int i = 1; i < ROW_COUNT; i++) {
            final StatusRow row = row(i);
            if (!row.inUse() || ProcessHandle.of(row.pid()).map(h -> !h.isAlive()).orElse(true)) {
                row.release();
                return i;
            }
        }
        throw new IllegalStateException("status board " + file.path() + " is full: rowCount=" + ROW_COUNT);
    }

    /**
     * @param index a row index.
     * @return a view of that row.
     */
    public StatusRow row(final int index) {
        return new StatusRow(file.buffer(), index);
    }

    /** Deletes the board file and stops the heartbeat of row 0. Idempotent; never blocks. */
    @Override
    public void close() {
        synchronized (StatusBoard.class) {
            if (current == this) {
                current = null;
            }
        }
        HEARTBEAT_ROWS.remove(self);
        file.close();
    }

    /**
     * Opens another process's board and returns one of its rows (used by a child for its own row in the parent's
     * board). The mapping stays for the life of this process.
     *
     * @param boardPath the board file.
     * @param index     the row index.
     * @return the row.
     */
    public static StatusRow attach(final Path boardPath, final int index) {
        final MappedFile board = MappedFile.open(boardPath);
        if (board.buffer().getIntVolatile(MAGIC_OFFSET) != MAGIC || index <= 0 || index >= ROW_COUNT) {
            throw new IllegalStateException("not a status board or bad row: " + boardPath + " row=" + index);
        }
        return new StatusRow(board.buffer(), index);
    }

    /**
     * Keeps writing heartbeats into the row, every {@link #HEARTBEAT_INTERVAL_MS}, from a daemon thread.
     *
     * @param row a row describing this process.
     */
    public static void heartbeat(final StatusRow row) {
        row.heartbeat();
        HEARTBEAT_ROWS.add(row);
        startHeartbeats();
    }

    /**
     * Starts this process's heartbeat thread unless it runs: {@link #heartbeat} does on its first call, and a warm
     * worker while spare ({@link ChildRehearsal}), so that its start once leased does not pay for the thread and
     * its executor. A thread with no row to beat wakes every {@link #HEARTBEAT_INTERVAL_MS} and does nothing.
     */
    static void startHeartbeats() {
        if (heartbeats == null) {
            synchronized (StatusBoard.class) {
                if (heartbeats == null) {
                    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                        final Thread thread = new Thread(r, "forklift-heartbeat");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.scheduleAtFixedRate(() -> HEARTBEAT_ROWS.forEach(StatusRow::heartbeat),
                        HEARTBEAT_INTERVAL_MS, HEARTBEAT_INTERVAL_MS, TimeUnit.MILLISECONDS);
                    heartbeats = executor;
                }
            }
        }
    }
}
