package dev.forklift.pool.internal;

import dev.forklift.shm.SharedMemoryDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Tells a worker that ended through {@code System.exit(n)} from one that ended without running its shutdown hooks.
 * Workers run with {@code -XX:+ExitOnOutOfMemoryError}, which ends the JVM with exit code 3 at once, without
 * shutdown hooks; a task calling {@code System.exit(3)} gives the same exit code, but runs them. So each worker,
 * while it runs tasks, keeps a shutdown hook armed that creates an empty marker file; the master looks for the
 * file once the worker is dead. File present: {@code System.exit} (or {@code Runtime.exit}) was called in the
 * worker while it ran tasks. Absent: the JVM ended on an {@code OutOfMemoryError}, {@code Runtime.halt} or a
 * signal (the exit status tells a signal apart). Internal; not API.
 *
 * <p>The master reserves the marker's path ({@link #reserve}, owned by the master, so the worker's own clean-up
 * does not delete it and a crashed master's files are reclaimed with its other files) and passes it to the worker,
 * which {@link #arm arms} the hook before its first task and {@link #disarm disarms} it before its orderly exit
 * (whose {@code System.exit} is the worker bootstrap's, not the task's). The master reads the marker with
 * {@link #left} and deletes it with {@link #discard}. No method blocks beyond one file-system call.
 */
final class WorkerExitMarker {
    private final Path file;
    private volatile boolean armed;

    private WorkerExitMarker(final Path file) {
        this.file = file;
    }

    /**
     * Master side: a fresh marker path for one worker, not yet created.
     *
     * @param workerName the worker's name, for the file name.
     * @return the path to pass to the worker.
     */
    static Path reserve(final String workerName) {
        return SharedMemoryDirectory.current().reserveOwnedPath("workerexit", workerName, "mark");
    }

    /**
     * Worker side: installs the shutdown hook, armed.
     *
     * @param path the path the master reserved.
     * @return the marker, to disarm before the worker's orderly exit.
     */
    static WorkerExitMarker arm(final String path) {
        final WorkerExitMarker marker = new WorkerExitMarker(Path.of(path));
        marker.armed = true;
        Runtime.getRuntime().addShutdownHook(new Thread(marker::leave, "forklift-worker-exit-marker"));
        return marker;
    }

    /** Worker side: the worker is about to end by itself; its exit is not the task's. Idempotent. */
    void disarm() {
        armed = false;
    }

    private void leave() {
        if (!armed) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (final IOException ignored) {
            // The master then reports the exit code alone.
        }
    }

    /**
     * Master side, after the worker exited.
     *
     * @param path the worker's marker path.
     * @return true when the worker's JVM ran its shutdown hooks while it ran tasks: {@code System.exit} was called.
     */
    static boolean left(final Path path) {
        return Files.exists(path);
    }

    /**
     * Master side: deletes the marker if it is there. Idempotent.
     *
     * @param path the worker's marker path.
     */
    static void discard(final Path path) {
        SharedMemoryDirectory.deleteOwned(path);
    }
}
