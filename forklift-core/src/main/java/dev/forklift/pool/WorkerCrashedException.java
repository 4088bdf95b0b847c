package dev.forklift.pool;

import dev.forklift.ForkliftException;

import java.util.OptionalInt;

/**
 * A task's input killed every worker that ran it: the worker process died (a signal such as {@code kill -9}, an
 * {@code OutOfMemoryError} that ended the JVM, {@code System.exit} or {@code Runtime.halt} in the task) while
 * running it, on each of its attempts. Completes the task's future, in the parent; the pool itself goes on.
 *
 * <p>Names the last worker's pid, its exit code or signal, the number of attempts and the input.
 *
 * @serial exclude
 */
public class WorkerCrashedException extends ForkliftException {
    private static final long serialVersionUID = 1L;
    /** Exit code of a worker JVM that ended on an {@code OutOfMemoryError} (workers run with
     * {@code -XX:+ExitOnOutOfMemoryError}). */
    public static final int OUT_OF_MEMORY_EXIT_CODE = 3;

    private final long pid;
    private final int exitCode;
    private final int signal;
    private final int attempts;
    private final boolean systemExitCalled;
    private final transient Object input;

    /**
     * @param workerName the name of the last worker that died running the input.
     * @param pid        its pid.
     * @param exitCode   its exit code (128 + n when signal n killed it).
     * @param signal     the signal that killed it, or -1 when none did.
     * @param attempts   how many attempts ended in a crash.
     * @param input      the input, may be null.
     */
    public WorkerCrashedException(final String workerName, final long pid, final int exitCode, final int signal,
        final int attempts, final Object input) {
        this(workerName, pid, exitCode, signal, attempts, input, null);
    }

    /**
     * @param workerName the name of the last worker that died running the input.
     * @param pid        its pid.
     * @param exitCode   its exit code (128 + n when signal n killed it).
     * @param signal     the signal that killed it, or -1 when none did.
     * @param attempts   how many attempts ended in a crash.
     * @param input      the input, may be null.
     * @param cause      why the pool itself killed the worker (such as a stale heartbeat), or null when it did not;
     *                   its message is appended to this one.
     */
    public WorkerCrashedException(final String workerName, final long pid, final int exitCode, final int signal,
        final int attempts, final Object input, final Throwable cause) {
        this(workerName, pid, exitCode, signal, attempts, input, cause, false);
    }

    /**
     * @param workerName       the name of the last worker that died running the input.
     * @param pid              its pid.
     * @param exitCode         its exit code (128 + n when signal n killed it).
     * @param signal           the signal that killed it, or -1 when none did.
     * @param attempts         how many attempts ended in a crash.
     * @param input            the input, may be null.
     * @param cause            why the pool itself killed the worker (such as a stale heartbeat), or null when it did
     *                         not; its message is appended to this one.
     * @param systemExitCalled true when the worker's JVM ran its shutdown hooks while running the task: the task
     *                         called {@code System.exit(exitCode)}. An {@code OutOfMemoryError} (which ends a worker
     *                         with {@value #OUT_OF_MEMORY_EXIT_CODE} through {@code -XX:+ExitOnOutOfMemoryError})
     *                         runs none.
     */
    public WorkerCrashedException(final String workerName, final long pid, final int exitCode, final int signal,
        final int attempts, final Object input, final Throwable cause, final boolean systemExitCalled) {
        super("worker '" + workerName + "' (pid " + pid + ") died running input " + Describe.input(input) + ": "
            + describeEnd(exitCode, signal, systemExitCalled)
            + "; attempts=" + attempts + (cause == null ? "" : "; " + cause.getMessage()), cause);
        this.pid = pid;
        this.exitCode = exitCode;
        this.signal = signal;
        this.attempts = attempts;
        this.input = input;
        this.systemExitCalled = signal <= 0 && systemExitCalled;
    }

    private static String describeEnd(final int exitCode, final int signal, final boolean systemExitCalled) {
        if (signal > 0) {
            return "killed by " + Describe.signal(signal) + " (signal " + signal + ")";
        }
        if (systemExitCalled) {
            return "exited with code " + exitCode + " (the task called System.exit(" + exitCode + "))";
        }
        return "exited with code " + exitCode + (exitCode == 0 ? " (System.exit inside the task?)"
            : exitCode == OUT_OF_MEMORY_EXIT_CODE ? " (out of memory: OutOfMemoryError with"
                + " -XX:+ExitOnOutOfMemoryError; raise the workers' -Xmx?)" : "");
    }

    /** @return the pid of the last worker that died running the input. */
    public long pid() {
        return pid;
    }

    /** @return that worker's exit code (128 + n when signal n killed it). */
    public int exitCode() {
        return exitCode;
    }

    /** @return the signal that killed that worker, if one did. */
    public OptionalInt signal() {
        return signal > 0 ? OptionalInt.of(signal) : OptionalInt.empty();
    }

    /** @return true when the worker ended on an {@code OutOfMemoryError} (not on a task's {@code System.exit}). */
    public boolean outOfMemory() {
        return signal <= 0 && exitCode == OUT_OF_MEMORY_EXIT_CODE && !systemExitCalled;
    }

    /** @return true when the task called {@code System.exit} ({@link #exitCode()} is its status). */
    public boolean systemExitCalled() {
        return systemExitCalled;
    }

    /** @return how many attempts ended in a crash. */
    public int attempts() {
        return attempts;
    }

    /** @return the input (null after this exception was itself serialized). */
    public Object input() {
        return input;
    }
}
