package dev.forklift.pool;

import dev.forklift.ForkliftException;

/**
 * One input of a {@link Pool#map}, {@link Pool#imap} or {@link Pool#imapUnordered} failed. Thrown in the parent,
 * by the call or iterator that reached the input. An iterator stays usable after throwing it: the next call moves
 * on to the next input.
 *
 * <p>The cause says why: a {@link dev.forklift.process.RemoteTaskException} (the function threw; the worker's
 * stack trace), a {@link WorkerCrashedException}, a {@link TaskTimeoutException}, a
 * {@link dev.forklift.codec.CodecException} (the input or result could not be encoded or decoded), or a
 * {@link java.util.concurrent.CancellationException} (the pool was shut down).
 *
 * @serial exclude
 */
public class TaskFailedException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    private final long index;
    private final transient Object input;

    /**
     * @param index the position of the input in the input sequence, from 0.
     * @param input the input, may be null.
     * @param cause why it failed.
     */
    public TaskFailedException(final long index, final Object input, final Throwable cause) {
        super("input #" + index + " " + Describe.input(input) + " failed: " + cause, cause);
        this.index = index;
        this.input = input;
    }

    /** @return the position of the input in the input sequence, from 0. */
    public long index() {
        return index;
    }

    /** @return the input (null after this exception was itself serialized). */
    public Object input() {
        return input;
    }
}
