package dev.forklift.bench.pool;

import dev.forklift.pool.SerializableFunction;

/** The trivial function every pool case runs, as the Python peers run {@code x + 1}. */
final class PoolFunctions {
    static final SerializableFunction<Integer, Integer> INC = x -> x + 1;

    private PoolFunctions() {
    }
}
