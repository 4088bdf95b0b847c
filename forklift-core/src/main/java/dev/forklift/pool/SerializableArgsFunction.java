package dev.forklift.pool;

import java.io.Serializable;

/**
 * A function of any number of arguments that can be shipped to worker JVMs ({@link Pool#submitArgs}): it gets the
 * arguments as an array, in the order given, each decoded by the pool's codec. Same rules as
 * {@link SerializableFunction}.
 *
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableArgsFunction<R> extends Serializable {
    /**
     * Runs in a worker process.
     *
     * @param args the arguments, a new array per call.
     * @return the result.
     * @throws Exception any failure; it fails the task with a {@link dev.forklift.process.RemoteTaskException}.
     */
    R apply(Object[] args) throws Exception;
}
