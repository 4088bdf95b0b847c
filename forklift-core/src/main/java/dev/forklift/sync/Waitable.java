package dev.forklift.sync;

/**
 * Something {@link Readiness#await} can wait on: it says, without blocking, whether a wait for it would end now.
 * Implemented by {@link PipeConnection} (a message or the end of the stream is there to receive) and by
 * {@code dev.forklift.process.ChildProcess} (the child has exited); implement it to wait on your own objects
 * alongside those.
 */
@FunctionalInterface
public interface Waitable {
    /**
     * Called from any thread; must not block and should be cheap (it is polled).
     *
     * @return true when the object is ready.
     */
    boolean isReady();
}
