package dev.forklift.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pid namespace of this process, as a number: the inode of {@code /proc/self/ns/pid} (the link reads
 * {@code pid:[4026531836]}). Processes in different pid namespaces (containers that share {@code /dev/shm} or a
 * memory volume) see different pids for the same process, so a pid read from shared memory or from a file name can
 * be judged (alive or dead) only by a process of the namespace that wrote it. Forklift records this number next to
 * every pid it shares: in the names of its shared-memory files ({@link SharedMemoryDirectory}) and in queue headers.
 *
 * <p>{@link #UNKNOWN} (0) where {@code /proc} cannot tell (not Linux, or no {@code /proc}): all such processes are
 * taken to share one namespace, which is what they did before namespaces were recorded.
 *
 * <p>Test hook: the system property {@value #SIMULATED_PROP_NAME}, when set (on a child JVM's command line), is
 * taken as this process's namespace instead, so a test can make a real child JVM look like a process of another
 * namespace. Read once, at class initialisation. Thread-safe; never blocks after that.
 */
public final class PidNamespace {
    /** System property that overrides the namespace read from {@code /proc}; for tests only. */
    public static final String SIMULATED_PROP_NAME = "forklift.test.pidNamespace";
    /** The id when the namespace cannot be read. */
    public static final long UNKNOWN = 0;

    private static final long CURRENT = read();

    private PidNamespace() {
    }

    /** @return the id of this process's pid namespace, or {@link #UNKNOWN}. */
    public static long current() {
        return CURRENT;
    }

    /**
     * @param link the text of a {@code /proc/<pid>/ns/pid} link, such as {@code pid:[4026531836]}.
     * @return the number inside the brackets, or {@link #UNKNOWN} when the text has another form.
     */
    static long parse(final String link) {
        if (link.startsWith("pid:[") && link.endsWith("]")) {
            try {
                return Long.parseLong(link.substring(5, link.length() - 1));
            } catch (final NumberFormatException ignored) {
                return UNKNOWN;
            }
        }
        return UNKNOWN;
    }

    private static long read() {
        final String simulated = System.getProperty(SIMULATED_PROP_NAME);
        if (simulated != null && !simulated.isBlank()) {
            try {
                return Long.parseLong(simulated.strip());
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException(SIMULATED_PROP_NAME + " must be a number: " + SIMULATED_PROP_NAME
                    + "=" + simulated, ex);
            }
        }
        try {
            return parse(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        } catch (final IOException | UnsupportedOperationException | SecurityException ex) {
            return UNKNOWN;
        }
    }
}
