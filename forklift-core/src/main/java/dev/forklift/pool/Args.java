package dev.forklift.pool;

/**
 * The arguments of one call of a two-argument function, for {@link Pool#starmap}. Immutable.
 *
 * @param first  the first argument, may be null.
 * @param second the second argument, may be null.
 * @param <A>    the first argument type.
 * @param <B>    the second argument type.
 */
public record Args<A, B>(A first, B second) {
    /**
     * @param first  the first argument.
     * @param second the second argument.
     * @param <A>    the first argument type.
     * @param <B>    the second argument type.
     * @return the pair.
     */
    public static <A, B> Args<A, B> of(final A first, final B second) {
        return new Args<>(first, second);
    }

    @Override
    public String toString() {
        return "(" + first + ", " + second + ")";
    }
}
