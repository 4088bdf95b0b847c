package dev.forklift.pool;

import java.io.Serializable;

/**
 * Work without arguments or result that can be shipped to worker JVMs: the per-worker initializer of
 * {@link PoolBuilder#initializer}. Runs once in each worker process before its first task; what it throws
 * stops that worker from starting.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    /**
     * Runs in the worker process.
     *
     * @throws Exception any failure; the worker exits and the pool reports it.
     */
    void run() throws Exception;
}
