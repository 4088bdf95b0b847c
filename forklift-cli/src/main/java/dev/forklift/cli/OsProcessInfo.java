package dev.forklift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the operating system says about a process: CPU time and resident memory. Linux reads {@code /proc}. */
public final class OsProcessInfo {
    private OsProcessInfo() {
    }

    /**
     * @param pid a process id.
     * @return the CPU time the process has used, if known.
     */
    public static Optional<Duration> cpuTime(final long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration());
    }

    /**
     * @param pid a process id.
     * @return the resident set size in bytes, if known (Linux only).
     */
    public static Optional<Long> residentBytes(final long pid) {
        final Path status = Paths.get("/proc", Long.toString(pid), "status");
        try {
            final List<String> lines = Files.readAllLines(status);
            for (final String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    final String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (final IOException | RuntimeException ignored) {
            // Not Linux, or the process is gone.
        }
        return Optional.empty();
    }
}
