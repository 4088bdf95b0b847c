package dev.forklift.process;

import dev.forklift.ForkliftException;

/**
 * A child process could not be started: its JVM did not start, its task class could not be loaded or
 * instantiated, its arguments could not be decoded in the child, or its start handshake timed out.
 *
 * <p>Thrown in the parent by {@link ChildProcessBuilder#start()} and {@link ChildProcessBuilder#startAll}. When it is
 * thrown, no child process of that start is left running. The message names the child, the bad value (class name,
 * JVM option, timeout) and, when the child JVM exited early, the tail of what it wrote to its standard error.
 */
public class ChildStartException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the child and the bad value.
     */
    public ChildStartException(final String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the child and the bad value.
     * @param cause   the underlying failure, possibly decoded from the child.
     */
    public ChildStartException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
