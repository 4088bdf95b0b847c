package dev.forklift.process.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Wall-clock stamps of the start path (a pool's build, each child's launch, exec, {@code main}, handshake, queues
 * attached, first task), written only when the system property {@value #PROPERTY} names a file: one line per stamp,
 * {@code <epoch microseconds> <pid> <role> <what>}, appended by every process that has the property (children
 * get it through {@code JAVA_TOOL_OPTIONS}, which they inherit). {@code python3
 * forklift-bench/src/main/python/startup_stamps.py FILE} prints them as a timeline. Off, a stamp costs one read
 * of a static final field and loads nothing.
 *
 * <p>Called from any thread of any Forklift process; never throws (a stamp that cannot be written is dropped).
 * Internal; not API.
 */
public final class StartupTrace {
    /** System property naming the file the stamps are appended to; unset (the default) turns stamps off. */
    public static final String PROPERTY = "forklift.startupTrace";
    private static final String FILE = System.getProperty(PROPERTY);
    /**
     * System property: {@code true} adds the process's minor page faults and CPU time so far to every stamp, as
     * {@code [minflt N cpu US]} (microseconds, all threads).
     */
    public static final String FAULTS_PROPERTY = "forklift.startupTrace.faults";
    private static final boolean FAULTS = FILE != null && Boolean.getBoolean(FAULTS_PROPERTY);

    private StartupTrace() {
    }

    /** @return true if stamps are written. */
    public static boolean enabled() {
        return FILE != null;
    }

    /**
     * Appends a stamp when tracing is on.
     *
     * @param what the milestone, a few words.
     */
    public static void stamp(final String what) {
        if (FILE != null) {
            write(what);
        }
    }

    private static synchronized void write(final String what) {
        final Instant now = Instant.now();
        final StringBuilder lines = new StringBuilder(96);
        final String role = System.getProperty("forklift.role", "parent");
        final long pid = ProcessHandle.current().pid();
        lines.append(micros(now)).append(' ').append(pid).append(' ').append(role).append(' ').append(what)
            .append(FAULTS ? faults() : "").append('\n');
        try (FileOutputStream out = new FileOutputStream(FILE, true)) {
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException | RuntimeException ignored) {
            // Tracing is best effort.
        }
    }

    /**
     * @return {@code " [minflt N cpu US]"}: this process's minor page faults (from {@code /proc/self/stat}) and the
     * time its live threads ran on a CPU, in microseconds (their {@code schedstat}), or empty when unreadable.
     */
    private static String faults() {
        try {
            final String stat = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")),
                StandardCharsets.US_ASCII);
            // Fields after the command's closing parenthesis: state is field 3, minflt field 10.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long cpuNs = 0; // every thread's time on a CPU (JIT and GC threads too), from the scheduler, in ns
            try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files.newDirectoryStream(
                java.nio.file.Path.of("/proc/self/task"))) {
                for (final java.nio.file.Path task : tasks) {
                    try {
                        final String schedstat = java.nio.file.Files.readString(task.resolve("schedstat"));
                        cpuNs += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    } catch (final IOException | RuntimeException ended) {
                        // A thread that ended meanwhile.
                    }
                }
            }
            return " [minflt " + fields[7] + " cpu " + cpuNs / 1_000 + "]";
        } catch (final IOException | RuntimeException ex) {
            return "";
        }
    }

    private static long micros(final Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
