package dev.forklift.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Stops and resumes processes for tests. A stop signal takes effect thread by thread, so {@link #stop} waits until
 * every thread listed in {@code /proc/<pid>/task} is in state 'T' before it returns: only then is the process
 * known not to run any more code.
 */
public final class Sigstop {
    private Sigstop() {
    }

    /**
     * Sends SIGSTOP and waits until every thread of the process is stopped.
     *
     * @param pid     the process.
     * @param timeout the longest wait for the threads to stop.
     * @throws AssertionError if the signal cannot be sent or the threads do not all stop in time.
     */
    public static void stop(final long pid, final Duration timeout) throws IOException, InterruptedException {
        signal("STOP", pid);
        final Path tasks = Path.of("/proc", Long.toString(pid), "task");
        Await.until(timeout, () -> everyThreadStopped(tasks), () -> "every thread of " + pid + " stopped");
    }

    /**
     * Sends SIGCONT.
     *
     * @param pid the process.
     */
    public static void resume(final long pid) throws IOException, InterruptedException {
        signal("CONT", pid);
    }

    private static boolean everyThreadStopped(final Path tasks) {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.allMatch(thread -> {
                try {
                    final String stat = Files.readString(thread.resolve("stat"));
                    final char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    return state == 'T' || state == 't';
                } catch (final IOException ex) {
                    return true; // the thread is gone
                }
            });
        } catch (final IOException ex) {
            return false;
        }
    }

    private static void signal(final String name, final long pid) throws IOException, InterruptedException {
        final int code = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
        if (code != 0) {
            throw new AssertionError("kill -" + name + " " + pid + " exited with " + code);
        }
    }
}
