package dev.forklift.process.internal;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The operating-system process behind one child handle: a JVM this process launched ({@link #of(Process)}), one the
 * launcher script started before this JVM and left to it ({@link InheritedJvm}), or a warm worker JVM leased from
 * the user's warm host ({@link WarmProcess}), which is the host's child, not ours.
 * Signals go through the JDK's handles, which check the process's start time, so a reused pid is never signalled.
 *
 * <p>Internal; not API. Thread-safe.
 */
interface OsProcess {
    /** @return the pid. */
    long pid();

    /** @return completed with the exit code once the process has ended (-1 when no one could tell it). */
    CompletableFuture<Integer> onExit();

    /** @return true while the process runs. */
    boolean isAlive();

    /** Asks the process to stop (SIGTERM). */
    void destroy();

    /** Kills the process (SIGKILL). */
    void destroyForcibly();

    /**
     * @return its standard output as a stream of this process, or null when its lines come as control frames
     *     ({@link Frames#OUTPUT_LINE}) instead.
     */
    InputStream stdout();

    /**
     * @return its standard error as a stream of this process, or null when its lines come as control frames
     *     ({@link Frames#OUTPUT_LINE}) instead.
     */
    InputStream stderr();

    /**
     * @param process a process this JVM started.
     * @return the view of it.
     */
    static OsProcess of(final Process process) {
        final CompletableFuture<Integer> exit = process.onExit().thenApply(Process::exitValue);
        return new OsProcess() {
            @Override
            public long pid() {
                return process.pid();
            }

            @Override
            public CompletableFuture<Integer> onExit() {
                return exit;
            }

            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public void destroy() {
                process.destroy();
            }

            @Override
            public void destroyForcibly() {
                process.destroyForcibly();
            }

            @Override
            public InputStream stdout() {
                return process.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return process.getErrorStream();
            }
        };
    }
}
