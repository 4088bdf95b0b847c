package dev.forklift.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and resident memory of a process, read from the operating system: {@link ProcessHandle.Info} for the
 * CPU time, {@code /proc/<pid>/statm} for the resident set (Linux; -1 elsewhere). Never blocks for long.
 */
final class ProcStats {
    private static final long PAGE_BYTES = 4096;

    private ProcStats() {
    }

    /** @return the process's total CPU time in nanoseconds, or -1. */
    static long cpuNanos(final long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    /** @return the process's resident set in bytes, or -1. */
    static long rssBytes(final long pid) {
        try {
            final String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "statm")).trim().split(" ");
            return fields.length > 1 ? Long.parseLong(fields[1]) * PAGE_BYTES : -1;
        } catch (final IOException | RuntimeException ex) {
            return -1;
        }
    }
}
