package dev.forklift.sync;

import dev.forklift.ForkliftException;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.sync.internal.LockWordLayout;
import dev.forklift.sync.internal.OwnerStamp;
import dev.forklift.sync.internal.SyncFileLayout;
import dev.forklift.sync.internal.SyncKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the state of every live named primitive of the current user (locks, semaphores, conditions, events,
 * barriers, shared maps), from any process (a {@code forklift ps}), without opening them as a user would: nothing is
 * written, nothing waited on. Never blocks; a primitive deleted meanwhile is left out.
 */
public final class SyncInspector {
    private SyncInspector() {
    }

    /**
     * One primitive as seen in its file: a snapshot.
     *
     * @param kind       its kind, such as "mutex" or "barrier".
     * @param name       the name it is opened by.
     * @param creatorPid the process that created it.
     * @param state      its state in words, such as "held by pid 4711" or "2 of 4 permits available".
     */
    public record SyncInfo(String kind, String name, long creatorPid, String state) {
    }

    /** @return every live primitive of the current user, by creator pid, kind and name. */
    public static List<SyncInfo> snapshot() {
        return snapshot(SharedMemoryDirectory.current());
    }

    /**
     * @param directory the shared-memory directory.
     * @return every live primitive in it, by creator pid, kind and name.
     */
    public static List<SyncInfo> snapshot(final SharedMemoryDirectory directory) {
        final List<SyncInfo> result = new ArrayList<>();
        for (final SyncKind kind : SyncKind.values()) {
            for (final Path path : directory.liveFiles(kind.fileKind())) {
                final MappedFile file;
                try {
                    file = MappedFile.open(path);
                } catch (final ForkliftException ex) {
                    continue; // deleted meanwhile
                }
                try (file) {
                    final AtomicMemory memory = file.buffer();
                    if (file.lengthBytes() < SyncFileLayout.BODY_OFFSET
                        || memory.getLong(SyncFileLayout.MAGIC_OFFSET) != SyncFileLayout.MAGIC
                        || memory.getIntAcquire(SyncFileLayout.VERSION_OFFSET) != SyncFileLayout.LAYOUT_VERSION
                        || memory.getInt(SyncFileLayout.KIND_OFFSET) != kind.code()) {
                        continue;
                    }
                    result.add(new SyncInfo(kind.displayName(), nameOf(path, kind),
                        memory.getLong(SyncFileLayout.CREATOR_PID_OFFSET), state(kind, memory)));
                }
            }
        }
        result.sort(Comparator.comparingLong(SyncInfo::creatorPid).thenComparing(SyncInfo::kind)
            .thenComparing(SyncInfo::name));
        return result;
    }

    private static String state(final SyncKind kind, final AtomicMemory memory) {
        final int body = SyncFileLayout.BODY_OFFSET;
        switch (kind) {
            case MUTEX:
            case REENTRANT_LOCK: {
                final long owner = memory.getLongVolatile(SyncFileLayout.GUARD_OFFSET + LockWordLayout.OWNER_WORD_OFFSET);
                final long deaths = memory.getLongVolatile(SyncFileLayout.GUARD_OFFSET
                    + LockWordLayout.OWNER_DEATHS_OFFSET);
                return (owner == 0 ? "free" : "held by pid " + OwnerStamp.pid(owner))
                    + (deaths > 0 ? ", taken over from dead holders " + deaths + "x" : "");
            }
            case SEMAPHORE:
            case BOUNDED_SEMAPHORE:
                return memory.getLongVolatile(body) + " of " + memory.getInt(SyncFileLayout.PARAM1_OFFSET)
                    + " permits available";
            case EVENT:
                return (memory.getLongVolatile(body) & 1) != 0 ? "set" : "clear"; // bit 0 of SharedEvent's word
            case BARRIER: {
                final long round = memory.getLongVolatile(body);
                final boolean broken = memory.getLongVolatile(body + 16) == round + 1;
                return memory.getLongVolatile(body + 8) + " of " + memory.getInt(SyncFileLayout.PARAM1_OFFSET)
                    + " waiting, round " + round + (broken ? ", broken" : "");
            }
            case CONDITION:
                return "bound to " + boundName(memory);
            case SHARED_MAP:
                return "capacity " + memory.getInt(SyncFileLayout.PARAM1_OFFSET) + " entries";
            default:
                return "";
        }
    }

    private static String boundName(final AtomicMemory memory) {
        final int length = memory.getBytes(SyncFileLayout.BOUND_NAME_OFFSET, 1)[0];
        return length <= 0 ? "?" : new String(memory.getBytes(SyncFileLayout.BOUND_NAME_OFFSET + 1, length),
            java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The readable name part of {@code <kind>-ns<ns>-<pid>-<start>-<serial>-<name>.<ext>}. */
    private static String nameOf(final Path path, final SyncKind kind) {
        final String file = path.getFileName().toString();
        final String withoutExtension = file.substring(0, file.length() - kind.fileKind().length() - 1);
        int dashes = 0;
        for (int i = 0; i < withoutExtension.length(); i++) {
            if (withoutExtension.charAt(i) == '-' && ++dashes == 5) {
                return withoutExtension.substring(i + 1);
            }
        }
        return withoutExtension;
    }
}
