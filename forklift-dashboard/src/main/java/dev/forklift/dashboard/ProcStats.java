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
    /** USER_HZ: 100 on every Linux architecture Forklift runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /**
     * @return the process's total CPU time (user and system) in nanoseconds, or -1: from {@code /proc/<pid>/stat}
     * (one small read; {@link ProcessHandle.Info} would also read the command line and look the user up), else
     * from {@link ProcessHandle.Info}.
     */
    static long cpuNanos(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state is field 3 of stat(5), utime 14 and stime 15, in clock ticks.
            final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (final IOException | RuntimeException ex) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos)
                .orElse(-1L);
        }
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
