package dev.forklift.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Things test tasks do to their worker process. */
final class Faults {
    private Faults() {
    }

    /** Sends SIGKILL to this process with the {@code kill} command, then waits to die. */
    static void killMinus9() {
        final long pid = ProcessHandle.current().pid();
        try {
            new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
            Thread.sleep(60_000);
        } catch (final IOException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
        throw new IllegalStateException("still alive after kill -9");
    }

    static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Writes this process's pid to the file, then waits (up to a minute) while the file exists. */
    static long announceAndWait(final String file) {
        final Path path = Path.of(file);
        try {
            if (Files.exists(path)) {
                return -1;
            }
            // Written whole, then moved into place: a reader never sees the file empty.
            final Path partial = path.resolveSibling(path.getFileName() + ".partial");
            Files.writeString(partial, Long.toString(ProcessHandle.current().pid()));
            Files.move(partial, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException ex) {
            throw new IllegalStateException(ex);
        }
        sleep(60_000);
        return ProcessHandle.current().pid();
    }
}
