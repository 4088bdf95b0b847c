package dev.forklift.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and resident memory of a process, read from the operating system: {@code /proc/<pid>/stat} for both
 * (Linux), {@link ProcessHandle.Info} for the CPU time elsewhere (the resident set is -1 there). Never blocks for
 * long.
 */
final class ProcStats {
    private static final long PAGE_BYTES = 4096;
    /** USER_HZ: 100 on every Linux architecture Forklift runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /**
     * @return the process's total CPU time (user and system) in nanoseconds and its resident set in bytes, each -1
     * when unknown: one small read of {@code /proc/<pid>/stat} ({@link ProcessHandle.Info} would also read the
     * command line and look the user up), else the CPU time from {@link ProcessHandle.Info}.
     */
    static long[] cpuNanosAndRssBytes(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command: state is field 3 of stat(5), utime 14, stime 15 (clock ticks), rss 24 (pages).
            final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new long[] {ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND),
                Long.parseLong(fields[21]) * PAGE_BYTES};
        } catch (final IOException | RuntimeException ex) {
            return new long[] {ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos)
                .orElse(-1L), rssBytes(pid)};
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
