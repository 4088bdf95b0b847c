package dev.forklift.process.internal;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A prelaunched child JVM that this process inherited from the {@code forklift} launcher script: the script started
 * it (the command line an earlier run of the command wrote down, {@code forklift-cli.early-run} or
 * {@code .early-wordcount}) and then replaced
 * itself with this JVM, and a shell's {@code exec} keeps its pid, so the script's children are this JVM's. It booted
 * while this JVM did. It waits as a JVM of {@link Prelaunch} does, for one line on its standard input.
 *
 * <p>Its pipes are the script's: its standard input is a pipe whose writing end this JVM inherited as a file
 * descriptor, and its standard output and error are one pipe whose reading end this JVM inherited (the two are
 * told apart in the child: once taken, its {@code System.out} and {@code System.err} go to this process as control
 * frames, {@link Frames#OUTPUT_LINE}; the pipe then carries what the JVM itself writes, such as its warnings, and is
 * read as the child's standard error). Both are opened through {@code /proc/self/fd}.
 *
 * <p>Exit: the JDK reaps only the processes it started, so this one's exit is seen through its
 * {@link ProcessHandle} (which waits without reaping) and its code read from the unreaped process's
 * {@code /proc/<pid>/stat} (its exit status, Linux 3.5 and later; -1 when it cannot be read). The entry stays until
 * this JVM exits. Linux only: the launcher starts such a JVM only where {@code /proc/self/fd} is.
 *
 * <p>Internal; not API. Thread-safe.
 */
final class InheritedJvm implements OsProcess {
    /** The number, in proc(5), of the first field {@link #statFields} returns: the state. */
    private static final int FIRST_STAT_FIELD = 3;

    private final long pid;
    private final ProcessHandle handle;
    private final int stdinFd;
    private final int outputFd;
    /**
     * Made at the first call of {@link #onExit()}, when a child takes this JVM: the wait for its exit starts a
     * thread of the JDK's (about 7 ms of the command's path before the prelaunch, measured), which then runs beside
     * the JVM's connect instead.
     */
    private CompletableFuture<Integer> exit;

    private InheritedJvm(final ProcessHandle handle, final int stdinFd, final int outputFd) {
        this.pid = handle.pid();
        this.handle = handle;
        this.stdinFd = stdinFd;
        this.outputFd = outputFd;
    }

    /**
     * @param spec {@code <pid>:<stdin fd>:<output fd>}, as the launcher passes it.
     * @return the JVM, or empty when the spec is malformed or names no live child of this process.
     */
    static Optional<InheritedJvm> fromSpec(final String spec) {
        final String[] parts = spec == null ? new String[0] : spec.split(":");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            final long pid = Long.parseLong(parts[0]);
            final int stdinFd = Integer.parseInt(parts[1]);
            final int outputFd = Integer.parseInt(parts[2]);
            // Its descriptors are not checked here (a first use of the file system's checks, 3-5 ms of the
            // command's path): a JVM whose line cannot be written is discarded at its hand-over.
            final long self = ProcessHandle.current().pid();
            return ProcessHandle.of(pid)
                .filter(handle -> handle.parent().map(parent -> parent.pid() == self).orElse(false))
                .map(handle -> new InheritedJvm(handle, stdinFd, outputFd));
        } catch (final NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /** @return its command line, as the kernel holds it; empty when it cannot be read. */
    List<String> command() {
        try {
            final byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            final List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return args;
        } catch (final IOException ex) {
            return List.of();
        }
    }

    /**
     * Writes one line to its standard input.
     *
     * @throws IOException if it is gone.
     */
    void writeLine(final String line) throws IOException {
        try (OutputStream stdin = new FileOutputStream(fd(stdinFd).toFile())) {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public synchronized CompletableFuture<Integer> onExit() {
        if (exit == null) {
            exit = handle.onExit().thenApply(gone -> exitCode(pid));
        }
        return exit;
    }

    /**
     * @return true while it runs: the handle alone calls a process that exited and is not reaped yet alive, so an
     *     ended one is told by its status.
     */
    @Override
    public boolean isAlive() {
        return !ended() && handle.isAlive();
    }

    @Override
    public void destroy() {
        if (!ended()) {
            handle.destroy();
        }
    }

    @Override
    public void destroyForcibly() {
        if (!ended()) {
            handle.destroyForcibly();
        }
    }

    /** @return true once it has exited (reaped or not); its pid is not reused before this JVM reaps it. */
    private boolean ended() {
        final CompletableFuture<Integer> known;
        synchronized (this) {
            known = exit;
        }
        return known != null ? known.isDone() : isZombie(pid);
    }

    /** @return true when the process has exited and awaits its reaping (state Z in {@code /proc/<pid>/stat}). */
    private static boolean isZombie(final long pid) {
        final String[] fields = statFields(pid);
        return fields.length == 0 || fields[0].equals("Z"); // no entry: gone
    }

    /** @return null: its {@code System.out} comes as control frames. */
    @Override
    public InputStream stdout() {
        return null;
    }

    /** @return the pipe of the JVM's own output (its standard output and error). */
    @Override
    public InputStream stderr() {
        try {
            return new FileInputStream(fd(outputFd).toFile());
        } catch (final IOException ex) {
            return InputStream.nullInputStream();
        }
    }

    private static Path fd(final int fd) {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    /**
     * @return the exit code of an ended child of this process not reaped yet, as {@link Process#exitValue()} gives
     *     it (128 plus the signal's number for a process a signal ended), or -1 when its status cannot be read.
     */
    static int exitCode(final long pid) {
        final int exitCodeField = 52;
        final String[] fields = statFields(pid);
        if (fields.length < exitCodeField - FIRST_STAT_FIELD + 1) {
            return -1;
        }
        try {
            return waitStatusToExitCode(Integer.parseInt(fields[exitCodeField - FIRST_STAT_FIELD]));
        } catch (final NumberFormatException ex) {
            return -1;
        }
    }

    /**
     * @return the fields of {@code /proc/<pid>/stat} from the third on (the state first: after the command's name in
     *     parentheses, which may hold spaces), or none when it cannot be read.
     */
    private static String[] statFields(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        } catch (final IOException | RuntimeException ex) {
            return new String[0];
        }
    }

    /** @return the code of a {@code waitpid} status: its exit code, or 128 plus the signal that ended it. */
    static int waitStatusToExitCode(final int status) {
        final int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
