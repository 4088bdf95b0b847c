package dev.forklift.process.internal;

import dev.forklift.ForkliftException;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

import static dev.forklift.process.internal.CounterBoard.*;

/**
 * Reads every live counter board of the current user ({@link CounterBoard}), from any process; maps each file,
 * copies its sections and unmaps it. Never blocks; a board deleted meanwhile is left out.
 *
 * <p>Internal; not API.
 */
public final class CounterBoards {
    private CounterBoards() {
    }

    /**
     * A copy of one section.
     *
     * @param ownerPid the process that wrote it.
     * @param kind     what it describes.
     * @param name     its name.
     * @param counters its counters by name, in publication order.
     */
    public record SectionCopy(long ownerPid, String kind, String name, Map<String, Long> counters) {
    }

    /**
     * @param directory the shared-memory directory.
     * @param kind      the sections' kind, such as {@code pool}.
     * @return every published section of that kind.
     */
    public static List<SectionCopy> read(final SharedMemoryDirectory directory, final String kind) {
        return read(directory, kind, owner -> true);
    }

    /**
     * @param directory the shared-memory directory.
     * @param kind      the sections' kind, such as {@code pool}.
     * @param ownerPids which boards' owners to read (the others are not opened).
     * @return every published section of that kind in those owners' boards.
     */
    public static List<SectionCopy> read(final SharedMemoryDirectory directory, final String kind,
        final LongPredicate ownerPids) {
        final List<SectionCopy> sections = new ArrayList<>();
        for (final Path path : directory.liveFiles("counters", ownerPids)) {
            final MappedFile file;
            try {
                file = MappedFile.open(path);
            } catch (final ForkliftException ex) {
                continue;
            }
            try (file) {
                final AtomicMemory buffer = file.buffer();
                if (file.lengthBytes() < BOARD_LENGTH || buffer.getIntVolatile(0) != MAGIC
                    || buffer.getInt(4) != VERSION || buffer.getInt(SECTION_LENGTH_OFFSET) != SECTION_LENGTH) {
                    continue;
                }
                final long owner = buffer.getLong(OWNER_PID_OFFSET);
                for (int i = 0; i < SECTION_COUNT; i++) {
                    final int base = HEADER_LENGTH + i * SECTION_LENGTH;
                    if (buffer.getIntVolatile(base + IN_USE_OFFSET) != 1
                        || !kind.equals(readString(buffer, base + KIND_OFFSET, KIND_MAX_LENGTH))) {
                        continue;
                    }
                    final String name = readString(buffer, base + NAME_OFFSET, NAME_MAX_LENGTH);
                    final int count = Math.min(MAX_COUNTERS, buffer.getInt(base + COUNTER_COUNT_OFFSET));
                    final Map<String, Long> counters = new LinkedHashMap<>();
                    for (int c = 0; c < count; c++) {
                        counters.put(readString(buffer, base + COUNTER_NAMES_OFFSET + c * NAME_SLOT, NAME_SLOT - 1),
                            buffer.getLongVolatile(base + COUNTER_VALUES_OFFSET + c * Long.BYTES));
                    }
                    sections.add(new SectionCopy(owner, kind, name, counters));
                }
            }
        }
        return sections;
    }
}
