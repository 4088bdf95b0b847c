package dev.forklift.process;

/**
 * A task or an argument given to a {@link ChildProcessBuilder} cannot be serialized, so it cannot be sent to a
 * child. Thrown in the parent by {@code start()} before any child JVM is launched; the message names the offending
 * class (the class of the value, or of the captured value inside it, that is not serializable).
 */
public class TaskNotSerializableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be serialized, naming the offending class.
     * @param cause   the serialization failure.
     */
    public TaskNotSerializableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
