package dev.forklift.process.internal;

import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The counter board this process owns: a shared-memory file (kind {@code counters}) of named sections of named
 * 64-bit counters, which any process of the same user reads without touching the writer (a {@code forklift
 * dashboard}, a metrics scrape). A pool publishes one section of its totals; the writer keeps plain counters on its
 * hot paths and copies them here from a daemon flusher every {@link #FLUSH_INTERVAL_MS}.
 *
 * <pre>
 * Header (64 bytes): magic 'FKCB' (int), version (int), section count (int), section length (int),
 *                    owner pid (long), created epoch ms (long)
 * Section (at HEADER_LENGTH + index * SECTION_LENGTH, SECTION_LENGTH bytes):
 *   0   in use (int, 0 free, 1 used; set last with a release store)
 *   4   counter count (int)
 *   8   kind (length byte + up to 15 ASCII bytes)
 *   24  name (length byte + up to 47 ASCII bytes)
 *   128 counter names, NAME_SLOT bytes each (length byte + ASCII)
 *   128 + MAX_COUNTERS * NAME_SLOT   counter values (long each, release stores)
 * </pre>
 *
 * <p>Thread-safe. Nothing blocks except the creation of the file on first use. The file is deleted at this
 * process's normal exit (and reclaimed after a crash, as every owned file).
 *
 * <p>Internal; not API.
 */
public final class CounterBoard {
    /** 'FKCB' in ASCII. */
    public static final int MAGIC = 0x464B4342;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Header length; sections start here. */
    public static final int HEADER_LENGTH = 64;
    /** Offset of the section count in the header. */
    public static final int SECTION_COUNT_OFFSET = 8;
    /** Offset of the section length in the header. */
    public static final int SECTION_LENGTH_OFFSET = 12;
    /** Offset of the owner pid in the header. */
    public static final int OWNER_PID_OFFSET = 16;
    /** Sections per board. */
    public static final int SECTION_COUNT = 64;
    /** Length of one section. */
    public static final int SECTION_LENGTH = 1024;
    /** Counters per section at most. */
    public static final int MAX_COUNTERS = 28;
    /** Bytes of one counter name (a length byte and up to 23 ASCII bytes). */
    public static final int NAME_SLOT = 24;
    /** Offset of the in-use flag in a section. */
    public static final int IN_USE_OFFSET = 0;
    /** Offset of the counter count in a section. */
    public static final int COUNTER_COUNT_OFFSET = 4;
    /** Offset of the kind in a section. */
    public static final int KIND_OFFSET = 8;
    /** Largest kind length. */
    public static final int KIND_MAX_LENGTH = 15;
    /** Offset of the name in a section. */
    public static final int NAME_OFFSET = 24;
    /** Largest section name length. */
    public static final int NAME_MAX_LENGTH = 47;
    /** Offset of the counter names in a section. */
    public static final int COUNTER_NAMES_OFFSET = 128;
    /** Offset of the counter values in a section. */
    public static final int COUNTER_VALUES_OFFSET = COUNTER_NAMES_OFFSET + MAX_COUNTERS * NAME_SLOT;
    /** Length of a board file. */
    public static final int BOARD_LENGTH = HEADER_LENGTH + SECTION_COUNT * SECTION_LENGTH;
    /** How often the flushers run. */
    public static final long FLUSH_INTERVAL_MS = 250;

    static {
        if (COUNTER_VALUES_OFFSET + MAX_COUNTERS * Long.BYTES > SECTION_LENGTH) {
            throw new AssertionError("counter section overflows its length");
        }
    }

    private static volatile CounterBoard current;
    private static final List<Runnable> FLUSHERS = new CopyOnWriteArrayList<>();
    private static volatile ScheduledExecutorService flushThread;

    private final MappedFile file;
    private final boolean[] used = new boolean[SECTION_COUNT];

    private CounterBoard(final MappedFile file) {
        this.file = file;
        final AtomicMemory buffer = file.buffer();
        buffer.putInt(4, VERSION);
        buffer.putInt(SECTION_COUNT_OFFSET, SECTION_COUNT);
        buffer.putInt(SECTION_LENGTH_OFFSET, SECTION_LENGTH);
        buffer.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putLong(OWNER_PID_OFFSET + Long.BYTES, System.currentTimeMillis());
        buffer.putIntRelease(0, MAGIC);
    }

    /** @return this process's board, created on the first call. */
    public static CounterBoard current() {
        CounterBoard board = current;
        if (board == null) {
            synchronized (CounterBoard.class) {
                board = current;
                if (board == null) {
                    board = new CounterBoard(MappedFile.create(SharedMemoryDirectory.current(), "counters", "board",
                        BOARD_LENGTH));
                    current = board;
                }
            }
        }
        return board;
    }

    /**
     * Publishes a new section, all counters 0.
     *
     * @param kind         what the section describes, such as {@code pool} (ASCII, at most 15 kept).
     * @param name         its name (ASCII, at most 47 kept).
     * @param counterNames the names of its counters, at most {@link #MAX_COUNTERS}, each at most 23 ASCII.
     * @return the section; {@link Section#close()} frees it.
     * @throws IllegalStateException    when every section is in use.
     * @throws IllegalArgumentException when there are too many counters.
     */
    public synchronized Section publish(final String kind, final String name, final List<String> counterNames) {
        if (counterNames.size() > MAX_COUNTERS) {
            throw new IllegalArgumentException("too many counters: count=" + counterNames.size() + " max="
                + MAX_COUNTERS);
        }
        for (int i = 0; i < SECTION_COUNT; i++) {
            if (!used[i]) {
                used[i] = true;
                final int base = HEADER_LENGTH + i * SECTION_LENGTH;
                final AtomicMemory buffer = file.buffer();
                buffer.putIntRelease(base + IN_USE_OFFSET, 0);
                writeString(buffer, base + KIND_OFFSET, KIND_MAX_LENGTH, kind);
                writeString(buffer, base + NAME_OFFSET, NAME_MAX_LENGTH, name);
                for (int c = 0; c < MAX_COUNTERS; c++) {
                    writeString(buffer, base + COUNTER_NAMES_OFFSET + c * NAME_SLOT, NAME_SLOT - 1,
                        c < counterNames.size() ? counterNames.get(c) : "");
                    buffer.putLongRelease(base + COUNTER_VALUES_OFFSET + c * Long.BYTES, 0);
                }
                buffer.putInt(base + COUNTER_COUNT_OFFSET, counterNames.size());
                buffer.putIntRelease(base + IN_USE_OFFSET, 1);
                return new Section(this, i, base);
            }
        }
        throw new IllegalStateException("counter board " + file.path() + " is full: sectionCount=" + SECTION_COUNT);
    }

    private synchronized void free(final int index, final int base) {
        file.buffer().putIntRelease(base + IN_USE_OFFSET, 0);
        used[index] = false;
    }

    /**
     * Runs the flusher every {@link #FLUSH_INTERVAL_MS} on a daemon thread until the returned handle is closed.
     *
     * @param flusher copies a writer's counters into its section; must not block for long.
     * @return closes the registration (idempotent); it runs the flusher one last time.
     */
    public static AutoCloseable everyFlush(final Runnable flusher) {
        FLUSHERS.add(flusher);
        if (flushThread == null) {
            synchronized (CounterBoard.class) {
                if (flushThread == null) {
                    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                        final Thread thread = new Thread(r, "forklift-counters");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.scheduleWithFixedDelay(CounterBoard::flushAll, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS,
                        TimeUnit.MILLISECONDS);
                    flushThread = executor;
                }
            }
        }
        return () -> {
            if (FLUSHERS.remove(flusher)) {
                flusher.run();
            }
        };
    }

    private static void flushAll() {
        for (final Runnable flusher : FLUSHERS) {
            try {
                flusher.run();
            } catch (final RuntimeException ex) {
                // a flusher that fails must not stop the others; it tries again next time
            }
        }
    }

    static void writeString(final AtomicMemory buffer, final int at, final int maxLength, final String value) {
        final int length = Math.min(value.length(), maxLength);
        final byte[] field = new byte[1 + maxLength];
        field[0] = (byte) length;
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            field[1 + i] = (byte) (c >= 0x20 && c < 0x7F ? c : '?');
        }
        buffer.putBytes(at, field);
    }

    /**
     * Reads a string written by {@link #writeString}.
     *
     * @param buffer    the board.
     * @param at        the field's offset.
     * @param maxLength its largest length.
     * @return the string.
     */
    public static String readString(final AtomicMemory buffer, final int at, final int maxLength) {
        final byte[] field = buffer.getBytes(at, 1 + maxLength);
        final int length = Math.min(field[0] & 0xFF, maxLength);
        return new String(field, 1, length, StandardCharsets.US_ASCII);
    }

    /**
     * One published section. {@link #set} is called by one writer (usually the flusher); thread-safe otherwise.
     */
    public static final class Section implements AutoCloseable {
        private final CounterBoard board;
        private final int index;
        private final int base;
        private boolean closed;

        private Section(final CounterBoard board, final int index, final int base) {
            this.board = board;
            this.index = index;
            this.base = base;
        }

        /**
         * @param counter the counter's index, as in the names given at publication.
         * @param value   its new value.
         */
        public void set(final int counter, final long value) {
            board.file.buffer().putLongRelease(base + COUNTER_VALUES_OFFSET + counter * Long.BYTES, value);
        }

        /** Frees the section: readers no longer see it. Idempotent. */
        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                board.free(index, base);
            }
        }
    }
}
