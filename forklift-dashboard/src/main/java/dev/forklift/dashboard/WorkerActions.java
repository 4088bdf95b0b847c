package dev.forklift.dashboard;

import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The actions on a worker process that the dashboard offers when started with actions allowed: kill (SIGKILL; its
 * pool replaces it), recycle (SIGTERM: it runs its shutdown hooks and exits; its pool replaces it), a thread dump
 * and a flight recording (both through the JDK's {@code jcmd}). Only a live child process on a board the dashboard
 * watches is a target: never the dashboard's own process, never a process of another user or outside Forklift.
 * Each call blocks the calling HTTP thread for the time of the action (a recording: its duration).
 */
final class WorkerActions {
    static final int MAX_RECORDING_SECONDS = 60;

    private final Sampler sampler;

    WorkerActions(final Sampler sampler) {
        this.sampler = sampler;
    }

    /** @return the row of a live child on a watched board; throws if the pid is not one. */
    ProcessRow target(final long pid) {
        for (final ProcessRow row : ProcessTable.snapshot()) {
            if (row.pid() == pid && row.alive() && row.pid() != row.boardOwnerPid()
                && pid != ProcessHandle.current().pid() && sampler.isWatched(row.boardOwnerPid())) {
                return row;
            }
        }
        throw new IllegalArgumentException("not a live worker of a watched job: pid=" + pid);
    }

    String kill(final long pid) {
        target(pid);
        final boolean sent = ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
        return sent ? "SIGKILL sent to " + pid : "process " + pid + " is gone";
    }

    String recycle(final long pid) {
        target(pid);
        final boolean sent = ProcessHandle.of(pid).map(ProcessHandle::destroy).orElse(false);
        return sent ? "SIGTERM sent to " + pid + ": it exits and its pool starts a fresh worker"
            : "process " + pid + " is gone";
    }

    String threadDump(final long pid) throws IOException, InterruptedException {
        target(pid);
        return new String(jcmd(pid, List.of("Thread.print", "-l"), 30), StandardCharsets.UTF_8);
    }

    byte[] flightRecording(final long pid, final int seconds) throws IOException, InterruptedException {
        target(pid);
        if (seconds < 1 || seconds > MAX_RECORDING_SECONDS) {
            throw new IllegalArgumentException("seconds must be in 1.." + MAX_RECORDING_SECONDS + ": " + seconds);
        }
        final Path dir = Files.createTempDirectory("forklift-jfr");
        final Path file = dir.resolve("worker-" + pid + ".jfr");
        try {
            jcmd(pid, List.of("JFR.start", "name=forklift-dashboard", "settings=profile", "duration=" + seconds + "s",
                "filename=" + file), 30);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30L);
            while (System.nanoTime() < deadline) {
                Thread.sleep(250);
                if (Files.exists(file) && Files.size(file) > 0 && recordingDone(pid)) {
                    return Files.readAllBytes(file);
                }
            }
            throw new IOException("the flight recording of " + pid + " did not finish in time");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private boolean recordingDone(final long pid) throws IOException, InterruptedException {
        final String check = new String(jcmd(pid, List.of("JFR.check", "name=forklift-dashboard"), 10),
            StandardCharsets.UTF_8);
        return !check.contains("running");
    }

    private static byte[] jcmd(final long pid, final List<String> command, final int timeoutSeconds)
        throws IOException, InterruptedException {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("jcmd not found at " + jcmd + " (a JRE without the JDK tools)");
        }
        final List<String> args = new ArrayList<>();
        args.add(jcmd.toString());
        args.add(Long.toString(pid));
        args.addAll(command);
        final Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + command.get(0) + " on " + pid + " timed out");
        }
        return output;
    }
}
