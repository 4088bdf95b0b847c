package dev.forklift.queue;

import java.time.Duration;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A bounded, blocking queue in shared memory, used by any number of producer and consumer processes at once
 * (and by any number of threads in each).
 *
 * <p>The parent creates it ({@link #builder(Class)}, {@link #create(Class)}) and hands it to child processes as
 * an argument; in a child it arrives attached and ready. Items travel as bytes through the queue's
 * {@link dev.forklift.codec.Codec}: fast paths for {@code byte[]}, {@code String} and the primitive boxes, an
 * allow-listed object codec for the rest.
 *
 * <p>End of stream: {@link #close()}, from any process, ends the stream. Puts after it fail with
 * {@link QueueClosedException}; takers first drain every item put before the close, then
 * {@link #take()} and {@link #poll} throw {@link EndOfStreamException}, and iteration ends. No sentinel items.
 *
 * <p>Blocking: {@link #put} waits while the queue is full, {@link #take} while it is empty, both using the
 * queue's {@link WaitStrategy}; both answer interrupts. Nothing else blocks. All methods are thread-safe.
 *
 * @param <T> the type of the items.
 */
public interface Queue<T> extends AutoCloseable, Iterable<T> {
    /**
     * @param type the type of the items, which picks the codec.
     * @param <T>  the type of the items.
     * @return a builder for a new queue owned by this process.
     */
    static <T> QueueBuilder<T> builder(final Class<T> type) {
        return new QueueBuilder<>(type);
    }

    /**
     * @param type the type of the items.
     * @param <T>  the type of the items.
     * @return a new queue with the default capacity and maximum message size.
     */
    static <T> Queue<T> create(final Class<T> type) {
        return builder(type).build();
    }

    /** @return the name given at creation, for diagnostics. */
    String name();

    /** @return the greatest number of items the queue holds at once. */
    int capacity();

    /** @return the largest encoded item, in bytes. */
    int maxMessageBytes();

    /**
     * Adds an item, waiting while the queue is full.
     *
     * @param item the item, not null.
     * @throws QueueClosedException      if the stream is closed (also when it closes while waiting).
     * @throws MessageTooLargeException  if the encoded item exceeds {@link #maxMessageBytes()}.
     * @throws dev.forklift.codec.CodecException if the item cannot be encoded (for example its class is not
     *                                   allowed); the queue is unaffected.
     * @throws InterruptedException      if the thread is interrupted while waiting; the item was not added.
     */
    void put(T item) throws InterruptedException;

    /**
     * Adds an item if there is room now.
     *
     * @param item the item, not null.
     * @return true if added, false if the queue was full.
     * @throws QueueClosedException     as for {@link #put}.
     * @throws MessageTooLargeException as for {@link #put}.
     */
    boolean offer(T item);

    /**
     * Adds an item, waiting up to the timeout while the queue is full.
     *
     * @param item    the item, not null.
     * @param timeout the longest wait.
     * @param unit    the unit of the timeout.
     * @return true if added, false if the timeout passed first.
     * @throws InterruptedException if interrupted while waiting; the item was not added.
     */
    boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Adds the items in order, waiting while the queue is full. Claims runs of free slots with one atomic
     * operation per run instead of one per item, which is what makes it faster than a loop of {@link #put} for
     * small items; consumers see the items in the same order and interleaved with other producers' only
     * between runs.
     *
     * <p>Every item is checked (not null, not too large when it is a {@code byte[]}) before any is added. When
     * an item fails to encode, the items before it are in the queue and it and the items after it are not
     * (slots already claimed for them are skipped by consumers), and the failure is thrown.
     *
     * @param items the items, none null.
     * @throws QueueClosedException     if the stream is closed (also while waiting); items before the closing
     *                                  are in the queue.
     * @throws MessageTooLargeException as for {@link #put}; then nothing was added.
     * @throws dev.forklift.codec.CodecException as for {@link #put}.
     * @throws InterruptedException     if interrupted while waiting; the items before the wait are in the queue.
     */
    void putAll(java.util.List<? extends T> items) throws InterruptedException;

    /**
     * Removes the items that are in the queue now, up to {@code maxItems}, into {@code target}, without waiting.
     * Claims runs of items with one atomic operation per run.
     *
     * @param target   where the items go, in queue order.
     * @param maxItems the most items to take; at least 1.
     * @return the number of items added to {@code target}; 0 if the queue was empty.
     * @throws EndOfStreamException if the queue is closed and drained (and nothing was taken by this call).
     * @throws dev.forklift.codec.CodecException if an item's bytes cannot be decoded: that item is dropped, the
     *                              other items of its run are still added to {@code target}, then it is thrown.
     */
    int drainTo(java.util.Collection<? super T> target, int maxItems);

    /**
     * As {@link #drainTo}, but waits while the queue is empty until at least one item arrives.
     *
     * @param target   where the items go, in queue order.
     * @param maxItems the most items to take; at least 1.
     * @return the number of items added to {@code target}, at least 1 unless an item failed to decode.
     * @throws EndOfStreamException if the queue is closed and drained.
     * @throws InterruptedException if interrupted while waiting.
     */
    int takeInto(java.util.Collection<? super T> target, int maxItems) throws InterruptedException;

    /**
     * Removes the next item, waiting while the queue is empty.
     *
     * @return the item.
     * @throws EndOfStreamException if the queue is closed and drained.
     * @throws dev.forklift.codec.CodecException if the item's bytes cannot be decoded; the item is dropped and
     *                              the queue is unaffected.
     * @throws InterruptedException if interrupted while waiting.
     */
    T take() throws InterruptedException;

    /**
     * Removes the next item if there is one now.
     *
     * @return the item, or null if the queue is empty.
     * @throws EndOfStreamException if the queue is closed and drained.
     */
    T poll();

    /**
     * Removes the next item, waiting up to the timeout while the queue is empty.
     *
     * @param timeout the longest wait.
     * @param unit    the unit of the timeout.
     * @return the item, or null if the timeout passed first.
     * @throws EndOfStreamException if the queue is closed and drained.
     * @throws InterruptedException if interrupted while waiting.
     */
    T poll(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * {@link #poll(long, TimeUnit)} with a {@link Duration}.
     *
     * @param timeout the longest wait.
     * @return the item, or null if the timeout passed first.
     * @throws InterruptedException if interrupted while waiting.
     */
    default T poll(final Duration timeout) throws InterruptedException {
        return poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return the number of items in the queue now (a snapshot; it may change at once). */
    int size();

    /** @return true once the stream was closed, by any process. */
    boolean isClosed();

    /** @return true once the stream was closed and every item was taken. */
    boolean isEndOfStream();

    /**
     * Ends the stream, from any process: puts fail from now on, takers drain what is left, then see the end.
     * In the process that created the queue it also deletes the shared-memory file (processes that attached
     * keep their mapping). Idempotent; never blocks.
     */
    @Override
    void close();

    /**
     * Takes items until the end of the stream. An interrupt ends the iteration with the interrupt flag set and
     * an {@link IllegalStateException}.
     *
     * @return an iterator that blocks in {@code hasNext()} until an item or the end of the stream arrives.
     */
    @Override
    Iterator<T> iterator();

    /** @return a sequential stream of the items taken until the end of the stream. */
    default Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }
}
