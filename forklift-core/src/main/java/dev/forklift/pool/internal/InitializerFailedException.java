package dev.forklift.pool.internal;

import dev.forklift.ForkliftException;

/** A pool worker's initializer threw; the worker exits with it. Internal; not API. */
public final class InitializerFailedException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     * @param cause   what the initializer threw.
     */
    public InitializerFailedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
