package dev.forklift.sync;

import dev.forklift.queue.MessageReader;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueBuilder;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;
import dev.forklift.sync.internal.TaskCounters;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Queue} that also counts its items until they are processed: Python's
 * {@code multiprocessing.JoinableQueue}. Each item put counts as unfinished until a consumer that took it calls
 * {@link #taskDone()}; {@link #join()} waits, in any process, until no item is unfinished.
 *
 * <pre>{@code
 * try (JoinableQueue<String> jobs = JoinableQueue.create(Queue.builder(String.class), "jobs")) {
 *     // consumers (child processes): String job = jobs.take(); work(job); jobs.taskDone();
 *     jobs.put("a"); jobs.put("b");
 *     jobs.join();                      // returns once both were taken and marked done
 * }
 * }</pre>
 *
 * <p><b>Who calls what.</b> Any process puts and takes, as with any queue. {@code taskDone()} must be called by the
 * process that took the item (any of its threads), once per item; more calls than items it took fail with
 * {@link IllegalStateException} (Python's {@code ValueError}). {@code join} may be called from any process.
 *
 * <p><b>A dead consumer.</b> The items a consumer took and had not marked done when it died are written off: they
 * will never be marked done, so {@code join} stops waiting for them once the consumer is seen dead (a joiner checks
 * about every 50 ms), and {@link #abandonedTasks()} counts them. They are lost, not put back: like any item a
 * consumer took, they are no longer in the queue. The same holds for an item whose consumer died in the middle of
 * taking it, and for an item whose producer died in the middle of putting it (both repaired by the queue, then
 * counted here). A process killed in the few instructions between its take and its count (or between the two
 * counts of a {@code taskDone}, or between a producer's count and its put) leaves one item that {@code join} waits
 * for; {@link #join(Duration)} bounds that wait. Protocol and layout: {@link TaskCounters}.
 *
 * <p>Batch puts ({@link #putAll}, {@link #putRunInPlace}) put item by item here, so that each is counted exactly.
 * Passing, opening by name ({@link #open}), permissions, clean-up and {@code forklift ps}: as for the queue and
 * {@link SharedState} (the counters live in a {@code joinable} file beside the queue's, of the same name).
 * Thread-safe, also across processes.
 *
 * @param <T> the type of the items.
 *
 * @serial exclude
 */
public final class JoinableQueue<T> implements Queue<T>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final long WRITE_OFF_CHECK_NS = 50_000_000L;

    private final Queue<T> queue;
    private final transient TaskCounters counters;

    private JoinableQueue(final Queue<T> queue, final TaskCounters counters) {
        this.queue = queue;
        this.counters = counters;
    }

    /**
     * Creates the queue, as configured by the builder, under the name (which both files carry), and its counters.
     *
     * @param builder the queue's settings; its name is replaced by {@code name}.
     * @param name    the name to open it by: 1 to 48 letters, digits, '-' or '_'.
     * @param <T>     the type of the items.
     * @return the joinable queue, owned by this process.
     * @throws IllegalArgumentException if the name is not a name to open by, or a live joinable queue has it.
     */
    public static <T> JoinableQueue<T> create(final QueueBuilder<T> builder, final String name) {
        final StateFile file = StateFile.create(StateType.TASK_COUNTERS, name, TaskCounters.ELEMENTS);
        try {
            return new JoinableQueue<>(builder.name(name).build(), new TaskCounters(file));
        } catch (final RuntimeException ex) {
            file.close();
            throw ex;
        }
    }

    /**
     * Opens, from any JVM of the same user, a joinable queue a process created.
     *
     * @param name the name it was created with.
     * @param type the type of its items, which picks the codec (the default codec for the type: a queue made with
     *             a codec of its own is opened with {@link #open(String, Queue)}).
     * @param <T>  the type of the items.
     * @return the queue, not owned by this process.
     * @throws dev.forklift.ForkliftException if no live joinable queue has the name.
     */
    public static <T> JoinableQueue<T> open(final String name, final Class<T> type) {
        return open(name, Queue.open(name, type));
    }

    /**
     * Opens the counters of a joinable queue around its queue, opened by the caller.
     *
     * @param name  the name it was created with.
     * @param queue its queue, opened by name.
     * @param <T>   the type of the items.
     * @return the joinable queue, not owned by this process.
     */
    public static <T> JoinableQueue<T> open(final String name, final Queue<T> queue) {
        return new JoinableQueue<>(queue, new TaskCounters(StateFile.open(StateType.TASK_COUNTERS, name)));
    }

    /**
     * Marks one item this process took as processed.
     *
     * @throws IllegalStateException if this process has no item taken and not yet marked done.
     */
    public void taskDone() {
        counters.taskDone();
    }

    /**
     * Waits until every item put has been taken and marked done (or written off: see the class comment).
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void join() throws InterruptedException {
        join(null);
    }

    /**
     * As {@link #join()}, at most the timeout.
     *
     * @param timeout the longest wait; null for none.
     * @return true if no item is unfinished, false if the timeout passed first.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean join(final Duration timeout) throws InterruptedException {
        final long start = System.nanoTime();
        long nextCheck = start;
        long parkNs = 1_000;
        while (true) {
            final long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                counters.writeOffDeadConsumers();
                nextCheck = now + WRITE_OFF_CHECK_NS;
            }
            if (unfinishedTasks() <= 0) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while joining queue '" + name() + "'");
            }
            if (timeout != null && now - start >= timeout.toNanos()) {
                return false;
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, 1_000_000);
        }
    }

    /** @return items put and not yet marked done, nor written off (a snapshot). */
    public long unfinishedTasks() {
        return counters.unfinished() - lostByQueue();
    }

    /**
     * @return items that will never be marked done: taken by a consumer that died before marking them, or lost in
     *     the queue with a consumer or producer that died in the middle of a take or put.
     */
    public long abandonedTasks() {
        return counters.writtenOff() + lostByQueue();
    }

    private long lostByQueue() {
        if (queue instanceof SharedQueue) {
            final SharedQueue<T> shared = (SharedQueue<T>) queue;
            return shared.tornCount() + shared.abandonedCount();
        }
        return 0;
    }

    // ---- puts: count first, take the count back if the put fails ---------------------------------------------

    @Override
    public void put(final T item) throws InterruptedException {
        counters.addUnfinished(1);
        boolean put = false;
        try {
            queue.put(item);
            put = true;
        } finally {
            if (!put) {
                counters.addUnfinished(-1);
            }
        }
    }

    @Override
    public boolean offer(final T item) {
        counters.addUnfinished(1);
        boolean put = false;
        try {
            put = queue.offer(item);
            return put;
        } finally {
            if (!put) {
                counters.addUnfinished(-1);
            }
        }
    }

    @Override
    public boolean offer(final T item, final long timeout, final TimeUnit unit) throws InterruptedException {
        counters.addUnfinished(1);
        boolean put = false;
        try {
            put = queue.offer(item, timeout, unit);
            return put;
        } finally {
            if (!put) {
                counters.addUnfinished(-1);
            }
        }
    }

    @Override
    public void putAll(final List<? extends T> items) throws InterruptedException {
        for (final T item : items) {
            put(item);
        }
    }

    @Override
    public void putInPlace(final int maxLengthBytes, final MessageWriter writer) throws InterruptedException {
        counters.addUnfinished(1);
        boolean put = false;
        try {
            queue.putInPlace(maxLengthBytes, writer);
            put = true;
        } finally {
            if (!put) {
                counters.addUnfinished(-1);
            }
        }
    }

    @Override
    public boolean offerInPlace(final int maxLengthBytes, final MessageWriter writer, final long timeout,
        final TimeUnit unit) throws InterruptedException {
        counters.addUnfinished(1);
        boolean put = false;
        try {
            put = queue.offerInPlace(maxLengthBytes, writer, timeout, unit);
            return put;
        } finally {
            if (!put) {
                counters.addUnfinished(-1);
            }
        }
    }

    @Override
    public void putRunInPlace(final int count, final int maxLengthBytes, final MessageWriter writer)
        throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: count=" + count);
        }
        for (int i = 0; i < count; i++) {
            putInPlace(maxLengthBytes, writer);
        }
    }

    // ---- takes: count what was taken ----------------------------------------------------------------------------

    @Override
    public T take() throws InterruptedException {
        final T item = queue.take();
        counters.noteTaken(1);
        return item;
    }

    @Override
    public T poll() {
        final T item = queue.poll();
        if (item != null) {
            counters.noteTaken(1);
        }
        return item;
    }

    @Override
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        final T item = queue.poll(timeout, unit);
        if (item != null) {
            counters.noteTaken(1);
        }
        return item;
    }

    @Override
    public int drainTo(final Collection<? super T> target, final int maxItems) {
        final List<T> taken = new ArrayList<>();
        try {
            return queue.drainTo(taken, maxItems);
        } finally {
            counters.noteTaken(taken.size());
            target.addAll(taken);
        }
    }

    @Override
    public int takeInto(final Collection<? super T> target, final int maxItems) throws InterruptedException {
        final List<T> taken = new ArrayList<>();
        try {
            return queue.takeInto(taken, maxItems);
        } finally {
            counters.noteTaken(taken.size());
            target.addAll(taken);
        }
    }

    @Override
    public void takeInPlace(final MessageReader reader) throws InterruptedException {
        final int[] read = {0};
        try {
            queue.takeInPlace(message -> {
                read[0]++;
                reader.read(message);
            });
        } finally {
            counters.noteTaken(read[0]);
        }
    }

    @Override
    public boolean pollInPlace(final MessageReader reader, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        final int[] read = {0};
        try {
            return queue.pollInPlace(message -> {
                read[0]++;
                reader.read(message);
            }, timeout, unit);
        } finally {
            counters.noteTaken(read[0]);
        }
    }

    @Override
    public int takeRunInPlace(final MessageReader reader, final int maxItems) throws InterruptedException {
        final int[] read = {0};
        try {
            return queue.takeRunInPlace(message -> {
                read[0]++;
                reader.read(message);
            }, maxItems);
        } finally {
            counters.noteTaken(read[0]);
        }
    }

    // ---- the rest as the queue's -------------------------------------------------------------------------------

    @Override
    public String name() {
        return queue.name();
    }

    @Override
    public Class<T> elementType() {
        return queue.elementType();
    }

    @Override
    public int capacity() {
        return queue.capacity();
    }

    @Override
    public int maxMessageBytes() {
        return queue.maxMessageBytes();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean hasItemReady() {
        return queue.hasItemReady();
    }

    @Override
    public boolean isClosed() {
        return queue.isClosed();
    }

    @Override
    public boolean isEndOfStream() {
        return queue.isEndOfStream();
    }

    /** Ends the stream as {@link Queue#close()} does; in the owner also deletes the counters' file. Idempotent. */
    @Override
    public void close() {
        queue.close();
        counters.file().close();
    }

    /** @return the queue's file and the counters' file path, for diagnostics. */
    public Path countersPath() {
        return counters.file().path();
    }

    @Override
    public Iterator<T> iterator() {
        return new dev.forklift.queue.internal.DrainingIterator<>(name(), this::take);
    }

    @Override
    public String toString() {
        return "JoinableQueue[" + queue + ", unfinished=" + unfinishedTasks() + ']';
    }

    private Object writeReplace() {
        return new Ref<>(queue, counters.file().path(), counters.file().name());
    }

    private void readObject(final ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a joinable queue travels as a reference");
    }

    /** The serialized form: the queue (itself a reference) and the counters' path. */
    private static final class Ref<T> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Queue<T> queue;
        private final String path;
        private final String name;

        Ref(final Queue<T> queue, final Path path, final String name) {
            this.queue = queue;
            this.path = path.toString();
            this.name = name;
        }

        private Object readResolve() {
            return new JoinableQueue<>(queue, new TaskCounters(StateFile.attach(Path.of(path),
                StateType.TASK_COUNTERS, name)));
        }
    }
}
