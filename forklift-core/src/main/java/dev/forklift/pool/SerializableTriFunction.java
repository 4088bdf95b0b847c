package dev.forklift.pool;

import java.io.Serializable;

/**
 * A three-argument function that can be shipped to worker JVMs ({@link Pool#submit(SerializableTriFunction, Object,
 * Object, Object)}); same rules as {@link SerializableFunction}.
 *
 * @param <A> the first argument type.
 * @param <B> the second argument type.
 * @param <C> the third argument type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableTriFunction<A, B, C, R> extends Serializable {
    /**
     * Runs in a worker process.
     *
     * @param a the first argument.
     * @param b the second argument.
     * @param c the third argument.
     * @return the result.
     */
    R apply(A a, B b, C c);
}
