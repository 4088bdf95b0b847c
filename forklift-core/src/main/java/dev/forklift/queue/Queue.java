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
 * <p>Dead processes: one that dies holding a slot (between its claim and its publish or release) never wedges the
 * queue. Once the slot has been seen held for the repair time ({@link QueueBuilder#repairAfter}), the side waiting
 * on it repairs it, with the rest of the dead process's run: a write is skipped as torn, a read freed as abandoned.
 * Every operation repairs, also those that do not wait. A live process taken for dead (its pid looked dead to the
 * others) finds its slot repaired: its put or take then throws {@link QueueSlotRepairedException}.
 *
 * <p>Zero copies: {@link #putInPlace} lets a callback write a message's bytes straight into a claimed slot, and
 * {@link #takeInPlace} (or {@link #takeRunInPlace}, one claim for a run) hands a callback a read-only view of a
 * message's bytes where they lie, releasing the slot when it returns. The view lives only for the call.
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

    /**
     * Opens, from any JVM of the same user (also one not started by Forklift), a live queue a process created under
     * this name, with the default codec for the type, as {@link #builder(Class)} picks it, and the default wait
     * strategy and repair time. The creator must have named it with a name to open by (1 to 48 letters, digits,
     * '-' or '_') and must use the default codec for the same type (else use {@link #open(String, Class,
     * dev.forklift.codec.Codec)}). The queue is not owned here: {@link #close()} ends its stream but does not
     * delete it.
     *
     * @param name the name given at creation.
     * @param type the type of the items.
     * @param <T>  the type of the items.
     * @return the queue, attached.
     * @throws IllegalArgumentException if the name is not a name to open by.
     * @throws dev.forklift.ForkliftException if no live queue of this user has the name.
     * @throws IllegalStateException    if two live queues have the name.
     */
    static <T> Queue<T> open(final String name, final Class<T> type) {
        return open(name, type, dev.forklift.codec.Codecs.forType(type, dev.forklift.codec.AllowList.defaults(),
            dev.forklift.codec.ObjectCodec.defaultMaxDepth()));
    }

    /**
     * As {@link #open(String, Class)}, with the codec the creator gave the queue.
     *
     * @param name  the name given at creation.
     * @param type  the type of the items.
     * @param codec the queue's codec.
     * @param <T>   the type of the items.
     * @return the queue, attached.
     */
    static <T> Queue<T> open(final String name, final Class<T> type, final dev.forklift.codec.Codec<T> codec) {
        return dev.forklift.queue.internal.SharedQueue.openByName(dev.forklift.shm.SharedMemoryDirectory.current(),
            name, type, codec);
    }

    /** @return the name given at creation, for diagnostics. */
    String name();

    /**
     * @return the type of the items, as given to {@link #builder(Class)} where the queue was made; the same in
     * every process that attached it ({@code Object} for a queue made without one).
     */
    Class<T> elementType();

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
     *                                   allowed, or it is nested deeper than the object codec's depth limit);
     *                                   what the codec threw is its cause, also an error such as a
     *                                   {@link StackOverflowError}. The queue is unaffected: the slot claimed
     *                                   for the item is skipped by consumers. Errors that concern the whole JVM
     *                                   ({@link dev.forklift.codec.CodecFailures#isFatal}, such as
     *                                   {@link OutOfMemoryError}) are thrown as they are, the queue still
     *                                   unaffected.
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
     * <p>Every item is checked (not null, not too large when it is a {@code byte[]}) before any is added. An item
     * that fails to encode is left out (its slot is skipped by consumers) and every other item is added, in order;
     * then the first failure is thrown, later ones suppressed in it.
     *
     * @param items the items, none null.
     * @throws QueueClosedException     if the stream is closed (also while waiting); items before the closing
     *                                  are in the queue.
     * @throws MessageTooLargeException as for {@link #put}: if a {@code byte[]} is too large, nothing was added;
     *                                  if another item's encoding is, every other item was added.
     * @throws dev.forklift.codec.CodecException as for {@link #put}; every other item was added.
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
     * @throws dev.forklift.codec.CodecException if the item's bytes cannot be decoded (what the codec threw is its
     *                              cause, also an error); the item is dropped and the queue is unaffected. Fatal
     *                              errors ({@link dev.forklift.codec.CodecFailures#isFatal}) are thrown as they
     *                              are, the slot released all the same.
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

    /**
     * Adds one message by writing its bytes straight into a slot of the shared memory, without an item or a codec:
     * claims the next slot (waiting while the queue is full), hands the writer a view of the slot's payload, and
     * publishes the message when the writer returns. The bytes are the encoded form consumers decode with the
     * queue's codec ({@link #take()}) or read as they are ({@link #takeInPlace}); for a {@code Queue<byte[]>} they
     * are the array itself, so in-place and ordinary puts and takes mix freely.
     *
     * <p>From the claim until the writer returns the slot is held by this process (its pid is in the slot): if
     * the process dies meanwhile, a waiting consumer publishes the slot as torn after the queue's repair time
     * and every consumer skips it. A writer that is merely slow is never repaired: consumers wait for it. A close
     * of the queue while the writer runs does not affect this message: the claim came before the close, so the
     * message is published and consumers drain it. If the writer throws (or returns a length out of range) the
     * slot is published as aborted, consumers skip it, and the exception is thrown here; the queue stays usable.
     *
     * @param maxLengthBytes the room the writer gets, 0 to {@link #maxMessageBytes()}.
     * @param writer         writes the message and returns its length; called once, on this thread.
     * @throws IllegalArgumentException if {@code maxLengthBytes} is negative.
     * @throws MessageTooLargeException if {@code maxLengthBytes} exceeds {@link #maxMessageBytes()}; nothing
     *                                  was claimed.
     * @throws QueueClosedException     if the stream is closed before a slot is claimed (also while waiting);
     *                                  the writer was not called.
     * @throws IllegalStateException    if the writer returned a length outside 0..{@code maxLengthBytes}; the
     *                                  slot was published as aborted.
     * @throws InterruptedException     if interrupted while waiting for a slot; the writer was not called. An
     *                                  interrupt during the writer is left set and does not stop the put.
     */
    void putInPlace(int maxLengthBytes, MessageWriter writer) throws InterruptedException;

    /**
     * As {@link #putInPlace}, but waits at most the timeout for a free slot.
     *
     * @param maxLengthBytes the room the writer gets, 0 to {@link #maxMessageBytes()}.
     * @param writer         writes the message and returns its length.
     * @param timeout        the longest wait for a slot; 0 to try once.
     * @param unit           the unit of the timeout.
     * @return true if the message was published, false if the timeout passed first (the writer was not called).
     * @throws InterruptedException if interrupted while waiting; the writer was not called.
     */
    boolean offerInPlace(int maxLengthBytes, MessageWriter writer, long timeout, TimeUnit unit)
        throws InterruptedException;

    /**
     * Adds {@code count} messages written in place, claiming runs of free slots with one atomic operation per
     * run (as {@link #putAll}); the writer is called once per message, in order, each time with the view of the
     * next slot. Consumers see the messages in that order, interleaved with other producers' only between runs.
     *
     * <p>If the writer throws for a message, that slot and the rest of its run are published as aborted, the
     * messages before it stay in the queue, no further message is written, and the exception is thrown here.
     *
     * @param count          how many messages, at least 0.
     * @param maxLengthBytes the room the writer gets for each, 0 to {@link #maxMessageBytes()}.
     * @param writer         writes one message per call and returns its length.
     * @throws IllegalArgumentException if {@code count} or {@code maxLengthBytes} is negative.
     * @throws MessageTooLargeException if {@code maxLengthBytes} exceeds {@link #maxMessageBytes()}.
     * @throws QueueClosedException     if the stream is closed (also while waiting between runs); the messages
     *                                  written before are in the queue.
     * @throws InterruptedException     if interrupted while waiting for a run; the messages written before are in
     *                                  the queue.
     */
    void putRunInPlace(int count, int maxLengthBytes, MessageWriter writer) throws InterruptedException;

    /**
     * Removes the next message and reads it where it lies, without copying it out or decoding it: claims the
     * next slot (waiting while the queue is empty), hands the reader a read-only view of the message's bytes, and
     * releases the slot when the reader returns. Aborted and torn slots are skipped; the reader never sees them.
     *
     * <p>From the claim until the release the slot is held by this process (its pid is in the slot): if the
     * process dies meanwhile, a producer waiting for that slot frees it after the queue's repair time and the
     * message is lost with its consumer (counted as an abandoned read). If the reader throws, the message counts as
     * taken, the slot is released all the same, and the exception is thrown here. A close of the queue does not
     * cut a read short: the end of the stream is seen only once every message put before the close was taken.
     *
     * @param reader reads the message; called once, on this thread.
     * @throws EndOfStreamException if the queue is closed and drained; the reader was not called.
     * @throws InterruptedException if interrupted while waiting; the reader was not called. An interrupt during
     *                              the reader is left set.
     */
    void takeInPlace(MessageReader reader) throws InterruptedException;

    /**
     * As {@link #takeInPlace}, but waits at most the timeout for a message.
     *
     * @param reader  reads the message.
     * @param timeout the longest wait; 0 to try once.
     * @param unit    the unit of the timeout.
     * @return true if a message was read, false if the timeout passed first (the reader was not called).
     * @throws EndOfStreamException if the queue is closed and drained.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean pollInPlace(MessageReader reader, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Removes a run of up to {@code maxItems} messages with one atomic claim, waiting while the queue is empty
     * until at least one is there, and reads each in place (as {@link #takeInPlace}): the reader is called once
     * per message, in queue order, and each slot is released as soon as its call returns.
     *
     * <p>Every message of a claimed run is handed to the reader, even after the reader threw for an earlier one
     * (no claimed message is dropped unseen); then the first exception is thrown here, later ones added to it as
     * suppressed.
     *
     * @param reader   reads one message per call.
     * @param maxItems the most messages to take; at least 1 (runs are at most 256 long).
     * @return the number of messages read, at least 1 (a run of only aborted or torn slots is skipped and the
     *         wait goes on).
     * @throws IllegalArgumentException if {@code maxItems} is below 1.
     * @throws EndOfStreamException     if the queue is closed and drained; the reader was not called.
     * @throws InterruptedException     if interrupted while waiting; the reader was not called.
     */
    int takeRunInPlace(MessageReader reader, int maxItems) throws InterruptedException;

    /**
     * @return the number of items in the queue now, counting those being put (their slots are taken, their bytes
     *         not all written yet); a snapshot that may change at once. Use {@link #hasItemReady()} to ask whether
     *         a take would find one.
     */
    int size();

    /**
     * Whether a {@link #take()} now would find an item without waiting: one whose put completed, ahead of any put
     * still in progress (items are taken in the order their slots were taken). An item still being written, or
     * left half written by a producer that died inside its put until the queue's repair skips it, does not count,
     * although {@link #size()} counts it. A snapshot: another consumer may take the item the next moment. Any
     * process, any thread; never blocks.
     *
     * @return true if an item is there to take now.
     */
    default boolean hasItemReady() {
        return size() > 0;
    }

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
