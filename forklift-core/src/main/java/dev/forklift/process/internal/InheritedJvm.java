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
 * it (the command line an earlier run of the command wrote down, {@code forklift-cli.early-run}) and then replaced
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
 * this JVM exits. Linux only; anywhere else {@link #fromSpec} finds nothing.
 *
 * <p>Internal; not API. Thread-safe.
 */
final class InheritedJvm implements OsProcess {
    private final long pid;
    private final ProcessHandle handle;
    private final int stdinFd;
    private final int outputFd;
    private final CompletableFuture<Integer> exit;

    private InheritedJvm(final ProcessHandle handle, final int stdinFd, final int outputFd) {
        this.pid = handle.pid();
        this.handle = handle;
        this.stdinFd = stdinFd;
        this.outputFd = outputFd;
        this.exit = handle.onExit().thenApply(gone -> exitCode(pid));
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
            final long self = ProcessHandle.current().pid();
            return ProcessHandle.of(pid)
                .filter(handle -> handle.parent().map(parent -> parent.pid() == self).orElse(false))
                .filter(handle -> Files.exists(fd(stdinFd)) && Files.exists(fd(outputFd)))
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
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    /** The handle alone would call a process that exited and is not reaped yet alive. */
    @Override
    public boolean isAlive() {
        return !exit.isDone() && handle.isAlive();
    }

    @Override
    public void destroy() {
        if (!exit.isDone()) {
            handle.destroy();
        }
    }

    @Override
    public void destroyForcibly() {
        if (!exit.isDone()) {
            handle.destroyForcibly();
        }
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
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the command's name in parentheses (which may hold spaces): field 3 on; exit_code is field 52.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            final int firstField = 3;
            final int exitCodeField = 52;
            if (fields.length < exitCodeField - firstField + 1) {
                return -1;
            }
            return waitStatusToExitCode(Integer.parseInt(fields[exitCodeField - firstField]));
        } catch (final IOException | RuntimeException ex) {
            return -1;
        }
    }

    /** @return the code of a {@code waitpid} status: its exit code, or 128 plus the signal that ended it. */
    static int waitStatusToExitCode(final int status) {
        final int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
