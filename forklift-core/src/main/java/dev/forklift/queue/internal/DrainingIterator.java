package dev.forklift.queue.internal;

import dev.forklift.queue.EndOfStreamException;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The iterator of a queue (and of a joinable queue): takes until the end of the stream. {@link #hasNext()} waits for
 * the next item; an interrupt while it waits keeps the thread's interrupt status and throws
 * {@link IllegalStateException} (an iterator cannot throw {@link InterruptedException}). One per iteration of one
 * thread; not thread-safe.
 *
 * @param <T> the item type.
 */
public final class DrainingIterator<T> implements Iterator<T> {
    /** How the iterator takes one item: a queue's {@code take}, or a joinable queue's counting take. */
    @FunctionalInterface
    public interface Take<T> {
        T take() throws InterruptedException;
    }

    private final String queueName;
    private final Take<T> take;
    private T next;
    private boolean ended;

    /**
     * @param queueName the queue's name, for messages.
     * @param take      takes one item, waiting; throws {@link EndOfStreamException} at the end of the stream.
     */
    public DrainingIterator(final String queueName, final Take<T> take) {
        this.queueName = queueName;
        this.take = take;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        try {
            next = take.take();
            return true;
        } catch (final EndOfStreamException ex) {
            ended = true;
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking from queue '" + queueName + "'", ex);
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("queue '" + queueName + "' is at end of stream");
        }
        final T item = next;
        next = null;
        return item;
    }
}
