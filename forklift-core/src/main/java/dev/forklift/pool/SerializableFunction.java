package dev.forklift.pool;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be shipped to worker JVMs: write it as a lambda or a class; it and everything it
 * captures must be serializable, and its class must be on the workers' class path (by default the parent's).
 *
 * <p>The pool serializes it once per worker and then sends only arguments. {@link #apply} runs in a worker
 * process, on the worker's task thread, one input at a time.
 *
 * @param <T> the input type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
