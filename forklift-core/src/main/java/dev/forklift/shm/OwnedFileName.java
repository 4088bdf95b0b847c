package dev.forklift.shm;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a file Forklift made in its shared-memory directory, which carries its owner:
 * {@code <kind>-ns<pidNamespace>-<pid>-<startMs>-<serial>-<name>.<extension>}, the namespace and the start time
 * in base 36, the pid and the serial in decimal; for example {@code queue-ns1ulj4ik-4711-m49wx9qy-3-items.queue}
 * (namespace 4026531836, pid 4711). Only names of exactly this form are Forklift's; a
 * file named otherwise is never reclaimed, whatever it looks like. The {@code ns} in front of the namespace keeps
 * earlier Forklift versions (whose names were {@code <kind>-<pid>-<startMs>-...}, and which reclaimed any name with
 * two numbers there) from taking the namespace for a pid and deleting a live file of this version.
 *
 * <p>Package-private helper of {@link SharedMemoryDirectory}; immutable.
 *
 * @param kind         what the file holds ({@code queue}, {@code status}, {@code ctl}, ...), 1 to 16 lower-case
 *                     letters.
 * @param pidNamespace the owner's pid namespace ({@link PidNamespace}).
 * @param pid          the owner's pid, in that namespace.
 * @param startMs      the owner's start time (epoch ms), against pid reuse; 0 when unknown.
 * @param serial       a counter of the owner process.
 * @param name         the readable part, letters, digits, '-' and '_', at most 48.
 * @param extension    1 to 16 lower-case letters.
 */
record OwnedFileName(String kind, long pidNamespace, long pid, long startMs, long serial, String name,
                     String extension) {
    /** Start times closer than this are the same process (the OS reports them with some jitter). */
    private static final long START_TIME_TOLERANCE_MS = 2_000;
    private static final Pattern FORM = Pattern.compile(
        "([a-z]{1,16})-ns([0-9a-z]{1,13})-([0-9]{1,10})-([0-9a-z]{1,13})-([0-9]{1,19})-([A-Za-z0-9_-]{0,48})\\.([a-z]{1,16})");
    private static final Pattern KIND = Pattern.compile("[a-z]{1,16}");
    /** Base of the namespace and the start time in names: short names leave room in a socket path's 108 bytes. */
    private static final int RADIX = 36;

    /**
     * A fresh name for a file of this process.
     *
     * @throws IllegalArgumentException if the kind or the extension is not 1 to 16 lower-case letters.
     */
    static OwnedFileName forThisProcess(final String kind, final long serial, final String name,
        final String extension) {
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind must be 1 to 16 lower-case letters: kind=" + kind);
        }
        if (!KIND.matcher(extension).matches()) {
            throw new IllegalArgumentException("extension must be 1 to 16 lower-case letters: extension=" + extension);
        }
        final ProcessHandle self = ProcessHandle.current();
        return new OwnedFileName(kind, PidNamespace.current(), self.pid(), startMs(self), serial, sanitize(name),
            extension);
    }

    /**
     * @param fileName a file name, without directory.
     * @return the parts, or empty when the name is not exactly of Forklift's form.
     */
    static Optional<OwnedFileName> parse(final String fileName) {
        final Matcher matcher = FORM.matcher(fileName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OwnedFileName(matcher.group(1), Long.parseLong(matcher.group(2), RADIX),
                Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4), RADIX),
                Long.parseLong(matcher.group(5)), matcher.group(6), matcher.group(7)));
        } catch (final NumberFormatException ex) {
            return Optional.empty();
        }
    }

    /** @return the file name. */
    String format() {
        return kind + "-ns" + Long.toString(pidNamespace, RADIX) + '-' + pid + '-' + Long.toString(startMs, RADIX) + '-'
            + serial + '-' + name + '.' + extension;
    }

    /** @return true if the owner's pid can be judged here: it lives in this process's pid namespace. */
    boolean ownerInThisNamespace() {
        return pidNamespace == PidNamespace.current();
    }

    /**
     * @return true if the owner is known dead: it is of this pid namespace and its pid is not alive, or now names a
     *     process started at another time. An owner of another namespace is never known dead.
     */
    boolean ownerKnownDead() {
        if (!ownerInThisNamespace()) {
            return false;
        }
        if (pid == Self.PID && (startMs == 0 || Self.START_MS == 0
            || Math.abs(Self.START_MS - startMs) <= START_TIME_TOLERANCE_MS)) {
            return false; // this very process: alive, without asking the operating system
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !ProcessLiveness.isAlive(pid)) {
            return true;
        }
        final long actualStartMs = startMs(handle.get());
        return actualStartMs != 0 && startMs != 0 && Math.abs(actualStartMs - startMs) > START_TIME_TOLERANCE_MS;
    }

    /** @return the readable part of a name: other characters become '_', at most 48 characters. */
    static String sanitize(final String name) {
        final String cleaned = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return cleaned.length() > 48 ? cleaned.substring(0, 48) : cleaned;
    }

    /** @return the owner part only (namespace, pid, start time): equal for every file of one process. */
    OwnedFileName owner() {
        return new OwnedFileName("", pidNamespace, pid, startMs, 0, "", "");
    }

    /** The current process, read once: the files it made are judged alive without a system call. */
    private static final class Self {
        static final long PID = ProcessHandle.current().pid();
        static final long START_MS = startMs(ProcessHandle.current());
    }

    private static long startMs(final ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
