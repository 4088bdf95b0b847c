package dev.forklift.process.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

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
    /** Clock ticks of {@code /proc} CPU times are 10 ms on Linux ({@code USER_HZ} = 100). */
    private static final long MS_PER_TICK = 10;
    /** Indexes into a stat line's fields after the command's name: minflt (field 10), utime (field 14). */
    private static final int MINFLT_FIELD = 7;
    private static final int UTIME_FIELD = 11;

    private StartupTrace() {
    }

    /** @return true if stamps are written. */
    public static boolean enabled() {
        return FILE != null;
    }

    /** @return true if stamps are written with CPU times ({@value #CPU_PROPERTY}). */
    public static boolean cpuEnabled() {
        return THREAD_CPU;
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
        final Map<String, Long> ticksByName = new TreeMap<>();
        final File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return "";
        }
        for (final File task : tasks) {
            try {
                final String stat = readStat(new File(task, "stat").toPath());
                final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                    .replaceAll("[0-9#]+$", "").trim().replace(' ', '_');
                ticksByName.merge(name, cpuTicks(fieldsAfterName(stat)), Long::sum);
            } catch (final IOException | RuntimeException ignored) {
                // a thread that ended meanwhile
            }
        }
        final StringBuilder out = new StringBuilder();
        ticksByName.entrySet().stream().filter(e -> e.getValue() > 0)
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .forEach(e -> out.append(e.getKey()).append('=').append(e.getValue() * MS_PER_TICK).append(' '));
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
            return cpuTicks(fieldsAfterName(readStat(Path.of("/proc/thread-self/stat")))) * MS_PER_TICK;
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
            final String minorFaults = fieldsAfterName(readStat(Path.of("/proc/self/stat")))[MINFLT_FIELD];
            long cpuNs = 0; // every thread's time on a CPU (JIT and GC threads too), from the scheduler, in ns
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (final Path task : tasks) {
                    try {
                        final String schedstat = Files.readString(task.resolve("schedstat"));
                        cpuNs += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    } catch (final IOException | RuntimeException ended) {
                        // A thread that ended meanwhile.
                    }
                }
            }
            return " [minflt " + minorFaults + " cpu " + cpuNs / 1_000 + "]";
        } catch (final IOException | RuntimeException ex) {
            return "";
        }
    }

    private static String readStat(final Path stat) throws IOException {
        return new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
    }

    /**
     * @return the fields of a {@code stat} line after the command's name, which may hold spaces and parentheses:
     *     index 0 is the state (field 3 of proc(5)).
     */
    private static String[] fieldsAfterName(final String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** @return utime + stime (fields 14 and 15 of proc(5)), in clock ticks. */
    private static long cpuTicks(final String[] fieldsAfterName) {
        return Long.parseLong(fieldsAfterName[UTIME_FIELD]) + Long.parseLong(fieldsAfterName[UTIME_FIELD + 1]);
    }

    private static long micros(final Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
