package dev.forklift.codec;

/**
 * What to make of anything a codec throws: the one rule that every place that encodes or decodes a message (the
 * queue's slots, the pool's frames, the pipeline's envelopes) follows, so that no throwable from a codec, or from a
 * value's own serialization code, can leave a slot claimed or kill a thread that serves others.
 *
 * <p>A codec fails one message: a {@link CodecException} stays what it is; any other exception, and any error
 * that concerns only the value at hand ({@link StackOverflowError} from a deeply nested value, whose stack is
 * unwound by the time it is caught; a {@link LinkageError} or {@link AssertionError} from the value's class), becomes a
 * {@code CodecException} that carries it as its cause. Errors after which the JVM itself may not go on
 * ({@link #isFatal}: out of memory, an internal error such as a fault in a mapped file, an unknown error) are never
 * wrapped or swallowed: the caller cleans up (publishes or releases its slot) and rethrows them as they are.
 *
 * <p>Stateless; any thread of any process may call it.
 */
public final class CodecFailures {
    private CodecFailures() {
    }

    /**
     * @param failure a throwable.
     * @return true if it must reach the caller as it is: a {@link VirtualMachineError} other than
     *         {@link StackOverflowError} ({@link OutOfMemoryError}, {@link InternalError}, {@link UnknownError}), or a
     *         {@code ThreadDeath}.
     */
    @SuppressWarnings("removal")
    public static boolean isFatal(final Throwable failure) {
        return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)
            || failure instanceof ThreadDeath;
    }

    /**
     * The exception to throw for a codec's failure, or the failure itself thrown if it is fatal.
     *
     * @param what    what failed, such as {@code "codec forklift.object failed to encode a com.acme.Order"}.
     * @param failure what the codec threw.
     * @return {@code failure} itself if it is a {@link CodecException}, else a new one whose message is {@code what}
     *         and a description of the failure, and whose cause is the failure.
     * @throws Error the failure itself, unchanged, if it {@link #isFatal is fatal}.
     */
    public static CodecException toCodecException(final String what, final Throwable failure) {
        if (isFatal(failure)) {
            throw (Error) failure;
        }
        if (failure instanceof CodecException) {
            return (CodecException) failure;
        }
        return new CodecException(what + ": " + describe(failure), failure);
    }

    /**
     * As {@link #toCodecException}, but always a new exception that says where it failed, also for a
     * {@link CodecException} (which becomes its cause): for messages that cross to another process, where the
     * place matters, such as "cannot decode the input in the worker".
     *
     * @param what    where and what failed.
     * @param failure what the codec threw.
     * @return a new exception whose message is {@code what} and a description of the failure.
     * @throws Error the failure itself, unchanged, if it {@link #isFatal is fatal}.
     */
    public static CodecException wrap(final String what, final Throwable failure) {
        if (isFatal(failure)) {
            throw (Error) failure;
        }
        return new CodecException(what + ": " + describe(failure), failure);
    }

    private static String describe(final Throwable failure) {
        if (failure instanceof StackOverflowError) {
            return "stack overflow (the value is nested too deeply for the stack of this thread; nothing of it was"
                + " used)";
        }
        return failure instanceof CodecException ? failure.getMessage() : failure.toString();
    }
}
