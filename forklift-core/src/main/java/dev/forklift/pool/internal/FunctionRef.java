package dev.forklift.pool.internal;

/**
 * A function as the master ships it: an id unique in the pool and its serialized form, sent to each worker once.
 * Immutable. Internal; not API.
 *
 * @param id    the function's id in task frames.
 * @param bytes the serialized function.
 */
record FunctionRef(int id, byte[] bytes) {
}
