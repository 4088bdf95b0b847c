package dev.forklift.process.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** System property: {@code true} ends every stamp with the stamping thread's CPU time, {@code [cpu N ms]}. */
    public static final String CPU_PROPERTY = "forklift.startupTrace.cpu";
    private static final boolean THREAD_CPU = FILE != null && Boolean.getBoolean(CPU_PROPERTY);
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

    /**
     * This process's CPU time per thread, from {@code /proc/self/task/<tid>/stat} (Linux only), the threads of one
     * name summed: for telling where a start's CPU went (main, compiler threads, collector). Only for stamps.
     *
     * @return {@code name=ms} pairs, largest first, or an empty string where there is no {@code /proc}.
     */
    public static String threadCpuMs() {
        final java.util.Map<String, Long> ticksByName = new java.util.TreeMap<>();
        final java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return "";
        }
        for (final java.io.File task : tasks) {
            try {
                final String stat = new String(Files.readAllBytes(
                    new java.io.File(task, "stat").toPath()), StandardCharsets.US_ASCII);
                final int open = stat.indexOf('(');
                final int close = stat.lastIndexOf(')');
                final String name = stat.substring(open + 1, close).replaceAll("[0-9#]+$", "").trim()
                    .replace(' ', '_');
                final String[] fields = stat.substring(close + 2).split(" ");
                final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                ticksByName.merge(name, ticks, Long::sum);
            } catch (final IOException | RuntimeException ignored) {
                // a thread that ended meanwhile
            }
        }
        final StringBuilder out = new StringBuilder();
        ticksByName.entrySet().stream().filter(e -> e.getValue() > 0)
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .forEach(e -> out.append(e.getKey()).append('=').append(e.getValue() * 10).append(' '));
        return out.toString().trim();
    }

    private static synchronized void write(final String what) {
        final Instant now = Instant.now();
        final StringBuilder lines = new StringBuilder(96);
        final String role = System.getProperty("forklift.role", "parent");
        final long pid = ProcessHandle.current().pid();
        lines.append(micros(now)).append(' ').append(pid).append(' ').append(role).append(' ').append(what);
        if (THREAD_CPU) {
            lines.append(" [cpu ").append(threadCpuMsNow()).append(" ms]");
        }
        if (FAULTS) {
            lines.append(faults());
        }
        lines.append('\n');
        try (FileOutputStream out = new FileOutputStream(FILE, true)) {
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (final IOException | RuntimeException ignored) {
            // Tracing is best effort.
        }
    }

    /** @return the calling thread's CPU time in ms (user + system, 10 ms steps), or -1 without /proc. */
    private static long threadCpuMsNow() {
        try {
            final String stat = new String(Files.readAllBytes(Path.of(
                "/proc/thread-self/stat")), StandardCharsets.US_ASCII);
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (final IOException | RuntimeException ex) {
            return -1;
        }
    }

    /**
     * @return {@code " [minflt N cpu US]"}: this process's minor page faults (from {@code /proc/self/stat}) and the
     * time its live threads ran on a CPU, in microseconds (their {@code schedstat}), or empty when unreadable.
     */
    private static String faults() {
        try {
            final String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")),
                StandardCharsets.US_ASCII);
            // Fields after the command's closing parenthesis: state is field 3, minflt field 10.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long cpuNs = 0; // every thread's time on a CPU (JIT and GC threads too), from the scheduler, in ns
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(
                Path.of("/proc/self/task"))) {
                for (final Path task : tasks) {
                    try {
                        final String schedstat = Files.readString(task.resolve("schedstat"));
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
