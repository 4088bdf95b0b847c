package dev.forklift.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Thread dumps of this JVM and of its descendant processes, and cleanup of those processes, for tests. */
public final class ProcessDumps {
    private static final long JCMD_TIMEOUT_MS = 10_000;

    private ProcessDumps() {
    }

    /**
     * Prints the stacks of every thread of this JVM, then {@code jcmd <pid> Thread.print} of every descendant.
     *
     * @param out where to print.
     */
    public static void printAll(final PrintStream out) {
        printThisJvm(out);
        for (final ProcessHandle descendant : descendants()) {
            printDescendant(descendant, out);
        }
        out.flush();
    }

    /** @return the live descendants of this process (children, grandchildren...). */
    public static List<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    /** Kills every descendant of this process (SIGKILL) and waits briefly for each. */
    public static void killDescendants() {
        final List<ProcessHandle> all = descendants();
        all.forEach(ProcessHandle::destroyForcibly);
        for (final ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (final Exception ignored) {
                // Reported by the caller's checks.
            }
        }
    }

    private static void printThisJvm(final PrintStream out) {
        out.println("--- threads of the test JVM, pid " + ProcessHandle.current().pid() + " ---");
        for (final Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            final Thread thread = entry.getKey();
            out.println('"' + thread.getName() + "\" daemon=" + thread.isDaemon() + " state=" + thread.getState());
            for (final StackTraceElement frame : entry.getValue()) {
                out.println("    at " + frame);
            }
            out.println();
        }
    }

    private static void printDescendant(final ProcessHandle process, final PrintStream out) {
        out.println("--- process " + process.pid() + ": " + process.info().commandLine().orElse("?") + " ---");
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            final Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true).start();
            final Thread copier = new Thread(() -> copy(dump.getInputStream(), out), "jcmd-output");
            copier.setDaemon(true);
            copier.start();
            if (!dump.waitFor(JCMD_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                dump.destroyForcibly();
                out.println("(jcmd timed out after " + JCMD_TIMEOUT_MS + " ms)");
            }
            copier.join(1_000);
        } catch (final IOException ex) {
            out.println("(jcmd failed: " + ex + ")");
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(final InputStream in, final PrintStream out) {
        try (in) {
            final byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.print(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (final IOException ignored) {
            // Dump ended.
        }
    }
}
