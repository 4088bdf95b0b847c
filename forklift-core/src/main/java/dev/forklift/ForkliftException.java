package dev.forklift;

/**
 * Base type of every exception Forklift throws on its own account.
 *
 * <p>Unchecked: misuse (a bad argument, an operation on a closed resource) and failures that cross a
 * process boundary both surface as subclasses, each naming the value or process at fault in its message.
 * Callers that want to treat all Forklift failures alike catch this type.
 */
public class ForkliftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the bad value or the process concerned.
     */
    public ForkliftException(final String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the bad value or the process concerned.
     * @param cause   the underlying failure.
     */
    public ForkliftException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
