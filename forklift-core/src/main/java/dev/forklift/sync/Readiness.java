package dev.forklift.sync;

import dev.forklift.queue.Queue;
import dev.forklift.queue.WaitStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Waits until at least one of several objects is ready: Python's {@code multiprocessing.connection.wait}. Ready
 * means a wait on it would end now:
 * <ul>
 * <li>a {@link PipeConnection}: a message or the end of the stream is there to receive;</li>
 * <li>a {@link Queue}: an item is there to take, or it is at its end of stream;</li>
 * <li>a {@code ChildProcess} (any {@link Waitable}): the child has exited;</li>
 * <li>a {@link Process} or {@link ProcessHandle}: it has exited; a {@link Future}: it is done.</li>
 * </ul>
 *
 * <p>Waits by polling every object with a back-off (spin, yield, then parks growing to 1 ms): a ready object is
 * seen within about a millisecond, and a long wait costs well under 1 % of a core. Interruptible.
 */
public final class Readiness {
    private static final WaitStrategy BACKOFF = WaitStrategy.backoff(200, 100, 1_000, 1_000_000);

    private Readiness() {
    }

    /**
     * @param objects what to wait on; each of a kind listed in the class comment.
     * @param timeout the longest wait; zero to look once; null to wait without limit.
     * @return the ready objects, in the order given; empty if the timeout passed first.
     * @throws IllegalArgumentException if {@code objects} is null, or an object is null or of another kind (the
     *                                  message names its class).
     * @throws InterruptedException     if the thread is interrupted while waiting.
     */
    public static List<Object> await(final Collection<?> objects, final Duration timeout)
        throws InterruptedException {
        if (objects == null) {
            throw new IllegalArgumentException("objects must not be null");
        }
        for (final Object object : objects) {
            check(object);
        }
        final long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        final WaitStrategy.Idler idler = BACKOFF.newIdler();
        while (true) {
            final List<Object> ready = new ArrayList<>();
            for (final Object object : objects) {
                if (isReady(object)) {
                    ready.add(object);
                }
            }
            if (!ready.isEmpty()) {
                return ready;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + objects.size() + " objects");
            }
            if (timeout != null && System.nanoTime() - deadline >= 0) {
                return ready;
            }
            idler.idle();
        }
    }

    private static void check(final Object object) {
        if (!(object instanceof Waitable || object instanceof Queue || object instanceof Process
            || object instanceof ProcessHandle || object instanceof Future)) {
            throw new IllegalArgumentException("cannot wait on "
                + (object == null ? "null" : "a " + object.getClass().getName())
                + ": expected a PipeConnection, a Queue, a ChildProcess, a Waitable, a Process, a ProcessHandle or a"
                + " Future");
        }
    }

    private static boolean isReady(final Object object) {
        if (object instanceof Waitable) {
            return ((Waitable) object).isReady();
        }
        if (object instanceof Queue) {
            final Queue<?> queue = (Queue<?>) object;
            return queue.hasItemReady() || queue.isEndOfStream();
        }
        if (object instanceof Process) {
            return !((Process) object).isAlive();
        }
        if (object instanceof ProcessHandle) {
            return !((ProcessHandle) object).isAlive();
        }
        return ((Future<?>) object).isDone();
    }
}
