package dev.forklift.sync;

import dev.forklift.ForkliftException;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the headers of every live shared value, array, segment and joinable queue's counters of the current user, from any process (what
 * {@code forklift ps} lists), without changing them. Never blocks; an object deleted meanwhile is left out.
 */
public final class SharedStateInspector {
    private SharedStateInspector() {
    }

    /**
     * One shared object as seen in its header: a snapshot.
     *
     * @param kind     {@code value}, {@code array}, {@code segment} or {@code joinable}.
     * @param name     its name.
     * @param type     {@code long}, {@code int}, {@code double}, {@code long[]}, {@code int[]}, {@code double[]} or
     *                 {@code bytes}.
     * @param count    elements (1 for a value, bytes for a segment).
     * @param ownerPid the process that created it.
     * @param value    its value now for a value ({@code "42"}), the unfinished items of a joinable queue, else empty.
     * @param path     its file.
     */
    public record StateInfo(String kind, String name, String type, int count, long ownerPid, String value,
                            Path path) {
        /** @return a short line for a listing, such as {@code value hits (long) = 42}. */
        public String describe() {
            if ("joinable".equals(kind)) {
                return kind + ' ' + name + " (unfinished " + value + ')';
            }
            if ("value".equals(kind)) {
                return kind + ' ' + name + " (" + type + ") = " + value;
            }
            return "segment".equals(kind) ? kind + ' ' + name + " (" + count + " bytes)"
                : kind + ' ' + name + " (" + type.replace("[]", "[" + count + "]") + ')';
        }
    }

    /** @return every live shared object of the current user, by owner pid, kind and name. */
    public static List<StateInfo> snapshot() {
        return snapshot(SharedMemoryDirectory.current());
    }

    /**
     * @param directory the shared-memory directory.
     * @return every live shared object in it, by owner pid, kind and name.
     */
    public static List<StateInfo> snapshot(final SharedMemoryDirectory directory) {
        final Set<String> kinds = new LinkedHashSet<>();
        EnumSet.allOf(StateType.class).forEach(type -> kinds.add(type.kind()));
        final List<StateInfo> found = new ArrayList<>();
        for (final String kind : kinds) {
            for (final Path path : directory.liveFiles(kind)) {
                for (final StateType type : StateType.values()) {
                    if (type.kind().equals(kind)) {
                        inspect(path, type).ifPresent(found::add);
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong(StateInfo::ownerPid).thenComparing(StateInfo::kind)
            .thenComparing(StateInfo::name));
        return found;
    }

    private static java.util.Optional<StateInfo> inspect(final Path path, final StateType type) {
        final String name = readableName(path);
        try (StateFile file = StateFile.attach(path, type, name)) {
            final String value;
            switch (type) {
                case LONG_VALUE:
                    value = Long.toString(new SharedLong(file).get());
                    break;
                case INT_VALUE:
                    value = Integer.toString(new SharedInt(file).get());
                    break;
                case DOUBLE_VALUE:
                    value = Double.toString(new SharedDouble(file).get());
                    break;
                case TASK_COUNTERS:
                    value = Long.toString(new dev.forklift.sync.internal.TaskCounters(file).unfinished());
                    break;
                default:
                    value = "";
            }
            return java.util.Optional.of(new StateInfo(type.kind(), name, type.label(), file.count(), file.ownerPid(),
                value, path));
        } catch (final ForkliftException ex) {
            return java.util.Optional.empty(); // deleted meanwhile, not yet initialised, or of another type
        }
    }

    /** @return the readable name part of a file name {@code kind-nsN-pid-start-serial-name.ext}. */
    private static String readableName(final Path path) {
        final String fileName = path.getFileName().toString();
        final String[] parts = fileName.split("-", 6);
        return parts.length == 6 ? parts[5].replaceFirst("\\.[^.]*$", "") : fileName;
    }
}
