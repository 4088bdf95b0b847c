package dev.forklift.pool;

/**
 * The outcome of one input of {@link Pool#imapOutcomes}: its result, or the reason it failed. Immutable.
 *
 * @param index  the position of the input in the input sequence, from 0.
 * @param input  the input.
 * @param result the result when it succeeded (may be null), else null.
 * @param error  why it failed (see {@link TaskFailedException}), or null when it succeeded.
 * @param <T>    the input type.
 * @param <R>    the result type.
 */
public record Outcome<T, R>(long index, T input, R result, Throwable error) {
    /** @return true when the input succeeded. */
    public boolean isSuccess() {
        return error == null;
    }
}
