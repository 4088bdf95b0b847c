package dev.forklift.pool;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A two-argument function that can be shipped to worker JVMs (the multi-argument form of
 * {@link Pool#submit(SerializableBiFunction, Object, Object)} and {@link Pool#starmap}); same rules as
 * {@link SerializableFunction}.
 *
 * @param <A> the first argument type.
 * @param <B> the second argument type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {
}
