package dev.forklift.pool.internal;

/**
 * A function as the master ships it: an id unique in the pool and its serialized form, sent to each worker once.
 * Immutable. Internal; not API.
 *
 * @param id    the function's id in task frames.
 * @param bytes the serialized function.
 */
record FunctionRef(int id, byte[] bytes) {
    /**
     * Identity, as each function has one reference per pool (its id is unique): a record's own equals, which
     * {@code FramePlanner} calls with the first task, is linked through {@code ObjectMethods} method handles at its
     * first call, 15-60 ms of the parent's path to its first result, spun at run time and in no class-data archive.
     */
    @Override
    public boolean equals(final Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
