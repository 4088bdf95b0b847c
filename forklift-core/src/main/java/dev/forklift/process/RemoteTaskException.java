package dev.forklift.process;

import dev.forklift.ForkliftException;

/**
 * An exception thrown by a task in a child process, brought back to the parent.
 *
 * <p>Its stack trace is the child's: the frames where the task failed, in the child JVM. Its cause is the
 * original exception (with its own causes) when that could be sent across; otherwise the class name and
 * message of the original are kept in {@link #remoteClassName()} and {@link #remoteMessage()}.
 *
 * @serial exclude
 */
public class RemoteTaskException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;
    private final long pid;
    private final String childName;

    /**
     * @param childName       the name of the child whose task failed.
     * @param pid             the pid of that child.
     * @param remoteClassName the class name of the exception thrown in the child.
     * @param remoteMessage   its message, possibly null.
     * @param remoteTrace     its stack trace, as seen in the child.
     * @param cause           the original exception when it could be decoded, else null.
     */
    public RemoteTaskException(final String childName, final long pid, final String remoteClassName,
        final String remoteMessage, final StackTraceElement[] remoteTrace, final Throwable cause) {
        super("task failed in child '" + childName + "' (pid " + pid + "): " + remoteClassName
            + (remoteMessage == null ? "" : ": " + remoteMessage), cause);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.pid = pid;
        this.childName = childName;
        setStackTrace(remoteTrace);
    }

    /** @return the class name of the exception thrown in the child. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** @return the message of the exception thrown in the child, possibly null. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the pid of the child whose task failed. */
    public long pid() {
        return pid;
    }

    /** @return the name of the child whose task failed. */
    public String childName() {
        return childName;
    }
}
