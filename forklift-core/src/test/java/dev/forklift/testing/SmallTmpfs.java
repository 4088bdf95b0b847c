package dev.forklift.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a fresh temporary directory, standing in for a nearly full {@code /dev/shm}. Mounting
 * needs root: where it fails, {@link #mount} aborts the calling test with the reason (a skipped test, not a pass).
 * {@link #close()} detaches it lazily, since a closed mapping stays until the JVM collects it.
 */
public final class SmallTmpfs implements AutoCloseable {
    private final Path mountPoint;

    private SmallTmpfs(final Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * @param sizeBytes the size of the file system.
     * @return the mounted file system.
     * @throws IOException          if the temporary directory cannot be made.
     * @throws InterruptedException if interrupted while mounting.
     */
    public static SmallTmpfs mount(final long sizeBytes) throws IOException, InterruptedException {
        final Path mountPoint = Files.createTempDirectory("forklift-small-shm");
        final int exit = run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes, "tmpfs", mountPoint.toString());
        if (exit != 0) {
            Files.deleteIfExists(mountPoint);
        }
        Assumptions.assumeTrue(exit == 0, "cannot mount a small tmpfs here (needs root): mount exit " + exit);
        return new SmallTmpfs(mountPoint);
    }

    /** @return where it is mounted. */
    public Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "--lazy", mountPoint.toString());
        Files.deleteIfExists(mountPoint);
    }

    private static int run(final String... command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
