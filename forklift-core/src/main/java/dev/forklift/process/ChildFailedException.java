package dev.forklift.process;

import dev.forklift.ForkliftException;

/**
 * A child process did not end with a success: its task threw, it exited with a non-zero code or without reporting
 * an outcome, or a signal killed it.
 *
 * <p>Thrown in the parent by {@link ChildProcess#joinAndCheck}. When the task threw, the cause is the
 * {@link RemoteTaskException} carrying the child's stack trace.
 *
 * @serial exclude
 */
public class ChildFailedException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    private final String childName;
    private final long pid;
    private final transient ExitStatus exitStatus;

    /**
     * @param childName  the name of the child.
     * @param pid        its pid.
     * @param exitStatus how it ended.
     */
    public ChildFailedException(final String childName, final long pid, final ExitStatus exitStatus) {
        super(describe(childName, pid, exitStatus), exitStatus.failure().orElse(null));
        this.childName = childName;
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /** @return the name of the child that failed. */
    public String childName() {
        return childName;
    }

    /** @return the pid of the child that failed. */
    public long pid() {
        return pid;
    }

    /** @return how the child ended (null only after this exception was itself serialized). */
    public ExitStatus exitStatus() {
        return exitStatus;
    }

    private static String describe(final String childName, final long pid, final ExitStatus status) {
        final StringBuilder text = new StringBuilder("child '").append(childName).append("' (pid ").append(pid)
            .append(") failed: ");
        if (status.failure().isPresent()) {
            final RemoteTaskException failure = status.failure().get();
            text.append("task threw ").append(failure.remoteClassName());
            if (failure.remoteMessage() != null) {
                text.append(": ").append(failure.remoteMessage());
            }
        } else if (status.signal().isPresent()) {
            final int signal = status.signal().getAsInt();
            text.append("killed by ").append(Signals.name(signal)).append(" (signal ").append(signal).append(')');
        } else if (status.exitCode() != 0) {
            text.append("exited with code ").append(status.exitCode()).append(" without reporting an outcome");
        } else {
            text.append("exited with code 0 without reporting an outcome (System.exit inside the task?)");
        }
        return text.append(" [").append(status).append(']').toString();
    }
}
