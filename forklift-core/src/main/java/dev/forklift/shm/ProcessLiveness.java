package dev.forklift.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Whether a process is alive, as the shared-memory structures need to know about the peers that hold parts of
 * them. A zombie (dead, not yet reaped by its parent) counts as dead: it will never touch shared memory again.
 * Thread-safe; reads {@code /proc} on Linux, asks {@link ProcessHandle} elsewhere; never blocks.
 */
public final class ProcessLiveness {
    private ProcessLiveness() {
    }

    /**
     * @param pid a process id; 0 and negative ids are never alive.
     * @return true if the process exists and is not a zombie.
     */
    public static boolean isAlive(final long pid) {
        if (pid <= 0) {
            return false;
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && handle.get().isAlive() && !isZombie(pid);
    }

    private static boolean isZombie(final long pid) {
        final Path stat = Paths.get("/proc", Long.toString(pid), "stat");
        try {
            final String text = Files.readString(stat);
            final int end = text.lastIndexOf(')');
            return end > 0 && end + 2 < text.length() && text.charAt(end + 2) == 'Z';
        } catch (final IOException | RuntimeException ex) {
            return false;
        }
    }
}
