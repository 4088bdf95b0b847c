package dev.forklift.codec;

import dev.forklift.ForkliftException;

/** A value could not be encoded, or bytes could not be decoded; it concerns one message only. */
public class CodecException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the codec and the value's class or the bad bytes. */
    public CodecException(final String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the codec and the value's class or the bad bytes.
     * @param cause   the underlying failure.
     */
    public CodecException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
