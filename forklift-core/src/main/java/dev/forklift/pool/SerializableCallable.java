package dev.forklift.pool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task without arguments that returns a result and can be shipped to worker JVMs: the zero-argument form of
 * {@link Pool#submit(SerializableCallable)}, and what {@link Pool#asExecutorService()} accepts. Same rules as
 * {@link SerializableFunction}: a lambda must be cast to (or declared as) this type and capture only serializable
 * values. What it throws fails its task with a {@link dev.forklift.process.RemoteTaskException}.
 *
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {
}
