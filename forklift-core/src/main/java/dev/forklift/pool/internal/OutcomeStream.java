package dev.forklift.pool.internal;

import dev.forklift.pool.Outcome;
import dev.forklift.pool.TaskFailedException;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The iterator behind map/imap/imapUnordered: reads inputs lazily on the caller's thread, at most {@code window}
 * inputs ahead of what the caller consumed, sends them as chunks, and yields their outcomes in input or completion
 * order. Outcomes are delivered by the pool's threads; the caller blocks in {@link #hasNext()}. Internal; not API;
 * shared with the pool over a broker, which sends the chunks its own way.
 */
public final class OutcomeStream implements Iterator<Outcome<Object, Object>> {
    private static final Object EMPTY = new Object();

    private final ChunkSender sender;
    private final Iterator<?> inputs;
    private final boolean ordered;
    private final int chunk;
    private final int window;
    /** Ordered mode: chunks in input order, the head partly consumed. */
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    /** Unordered mode: outcomes as they complete. */
    private final ArrayDeque<Outcome<Object, Object>> done = new ArrayDeque<>();
    private long read;
    private long consumed;
    private int headPosition;
    private boolean abandoned;
    /** The stream's deadline ({@link System#nanoTime()}), valid when {@link #timeoutMs} is not 0. */
    private long deadlineNs;
    private long timeoutMs;

    /** Sends one chunk of a stream's inputs to be run. */
    @FunctionalInterface
    public interface ChunkSender {
        /**
         * @param inputs the chunk's inputs, the sender's to keep; shared with the stream, which never changes them
         *               (no copy per chunk): the sender must not change them either.
         * @param sink   where each input's outcome goes, by its index in the chunk.
         */
        void send(Object[] inputs, JobSink sink);
    }

    /**
     * @param sender  sends each chunk, on the consuming thread.
     * @param inputs  the inputs, read lazily on the consuming thread.
     * @param ordered true for the outcomes in input order, false for completion order.
     * @param chunk   the inputs per chunk.
     * @param window  the most inputs read ahead of those consumed; at least {@code chunk}.
     */
    public OutcomeStream(final ChunkSender sender, final Iterator<?> inputs, final boolean ordered, final int chunk,
        final int window) {
        this.sender = sender;
        this.inputs = inputs;
        this.ordered = ordered;
        this.chunk = chunk;
        this.window = window;
    }

    @Override
    public boolean hasNext() {
        feed();
        synchronized (this) {
            return read > consumed;
        }
    }

    @Override
    public Outcome<Object, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        final Outcome<Object, Object> outcome;
        synchronized (this) {
            try {
                outcome = ordered ? nextOrdered() : nextUnordered();
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a result", ex);
            }
            consumed++;
        }
        return outcome;
    }

    /**
     * The next input's result, or its failure as a {@link TaskFailedException} thrown: without an
     * {@link Outcome} per input, for map and the throwing iterators.
     *
     * @return the result.
     */
    public Object nextResult() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        synchronized (this) {
            try {
                if (!ordered) {
                    final Outcome<Object, Object> outcome = nextUnordered();
                    consumed++;
                    if (!outcome.isSuccess()) {
                        throw new TaskFailedException(outcome.index(), outcome.input(), outcome.error());
                    }
                    return outcome.result();
                }
                final Chunk head = chunks.peekFirst();
                while (head.valueAt(headPosition) == EMPTY) {
                    awaitOutcome();
                }
                final int at = headPosition;
                final Object value = head.take(at);
                final Throwable error = head.errors == null ? null : head.errors[at];
                final Object input = head.inputs[at];
                if (++headPosition == head.inputs.length) {
                    chunks.pollFirst();
                    headPosition = 0;
                }
                consumed++;
                if (error != null) {
                    throw new TaskFailedException(head.base + at, input, error);
                }
                return value;
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a result", ex);
            }
        }
    }

    /**
     * As {@link #nextResult()} repeated, for {@code map}: waits for the next result, then adds it and every next one
     * already there (up to the end of its chunk) to {@code into}, under one lock.
     *
     * @param into where the results go, in order.
     * @return false when there are no more results (nothing added).
     * @throws dev.forklift.pool.TaskFailedException for the first failed input met (the results before it added).
     */
    public boolean drainResults(final java.util.List<Object> into) {
        if (!hasNext()) {
            return false;
        }
        if (!ordered) {
            into.add(nextResult());
            return true;
        }
        synchronized (this) {
            try {
                final Chunk head = chunks.peekFirst();
                while (head.valueAt(headPosition) == EMPTY) {
                    awaitOutcome();
                }
                final int length = head.inputs.length;
                if (head.ints != null && headPosition == 0 && into instanceof MapResultList) {
                    // a whole chunk of int results: the list keeps the array, boxed only when read
                    ((MapResultList) into).addInts(head.ints);
                    consumed += length;
                    chunks.pollFirst();
                    return true;
                }
                while (headPosition < length && head.valueAt(headPosition) != EMPTY) {
                    final int at = headPosition++;
                    final Object value = head.take(at);
                    final Throwable error = head.errors == null ? null : head.errors[at];
                    final Object input = head.inputs[at];
                    consumed++;
                    if (headPosition == length) {
                        chunks.pollFirst();
                        headPosition = 0;
                        if (error != null) {
                            throw new TaskFailedException(head.base + at, input, error);
                        }
                        into.add(value);
                        break;
                    }
                    if (error != null) {
                        throw new TaskFailedException(head.base + at, input, error);
                    }
                    into.add(value);
                }
                return true;
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a result", ex);
            }
        }
    }

    /**
     * Sets a deadline for the whole stream (a {@code map} with a timeout): a wait for an outcome past it abandons
     * the stream and throws {@link dev.forklift.pool.MapTimeoutException}.
     *
     * @param deadlineNs the deadline, as {@link System#nanoTime()}.
     * @param timeoutMs  the timeout it came from, for the exception.
     */
    public synchronized void deadline(final long deadlineNs, final long timeoutMs) {
        this.deadlineNs = deadlineNs;
        this.timeoutMs = Math.max(1, timeoutMs);
    }

    /** Lock held: waits for a delivery, until the deadline when there is one. */
    private void awaitOutcome() throws InterruptedException {
        if (timeoutMs == 0) {
            wait();
            return;
        }
        final long remainingNs = deadlineNs - System.nanoTime();
        if (remainingNs <= 0) {
            final long done = consumed;
            abandon();
            throw new dev.forklift.pool.MapTimeoutException(timeoutMs, done);
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, remainingNs);
    }

    /** Stops reading inputs; outcomes still in flight are dropped as they come. */
    public void abandon() {
        synchronized (this) {
            abandoned = true;
            chunks.clear();
            done.clear();
        }
    }

    private Outcome<Object, Object> nextOrdered() throws InterruptedException {
        final Chunk head = chunks.peekFirst();
        while (head.valueAt(headPosition) == EMPTY) {
            awaitOutcome();
        }
        final int at = headPosition;
        final Throwable error = head.errors == null ? null : head.errors[at];
        final Object value = head.take(at);
        final Outcome<Object, Object> outcome = new Outcome<>(head.base + at, head.inputs[at],
            error == null ? value : null, error);
        if (++headPosition == head.inputs.length) {
            chunks.pollFirst();
            headPosition = 0;
        }
        return outcome;
    }

    private Outcome<Object, Object> nextUnordered() throws InterruptedException {
        while (done.isEmpty()) {
            awaitOutcome();
        }
        return done.pollFirst();
    }

    private void feed() {
        while (true) {
            final int size;
            synchronized (this) {
                if (abandoned) {
                    return;
                }
                // Whole chunks only: a window with less room than a chunk waits for more consumption.
                size = window - (read - consumed) >= chunk ? chunk : 0;
            }
            if (size <= 0 || !inputs.hasNext()) {
                return;
            }
            final Object[] items = new Object[size];
            int n = 0;
            while (n < size && inputs.hasNext()) {
                items[n++] = inputs.next();
            }
            final Chunk part = new Chunk(read, n < size ? Arrays.copyOf(items, n) : items);
            synchronized (this) {
                read += n;
                if (ordered) {
                    chunks.addLast(part);
                }
            }
            sender.send(part.inputs, part);
        }
    }

    /** A chunk's slots; also the sink its outcomes are delivered to. */
    private final class Chunk implements JobSink {
        final long base;
        final Object[] inputs;
        /**
         * The outcomes by index, {@link #EMPTY} until delivered; null (all empty) until the first delivery, so that
         * a chunk whose results arrive at once takes their array as it is (ordered mode; guarded by the stream).
         */
        Object[] values;
        /** A whole chunk's int results, kept as they came ({@link #deliverInts}); then {@code values} stays null. */
        int[] ints;
        Throwable[] errors;

        Chunk(final long base, final Object[] inputs) {
            this.base = base;
            this.inputs = inputs;
        }

        /**
         * Lock held: {@link #EMPTY} while the outcome at {@code index} is not delivered, else its value (or, for a
         * chunk of packed ints, the array: read the value with {@link #take}).
         */
        Object valueAt(final int index) {
            return ints != null ? ints : values == null ? EMPTY : values[index];
        }

        /** Lock held: the outcome at {@code index}, delivered, which the stream no longer keeps. */
        Object take(final int index) {
            if (ints != null) {
                return ints[index];
            }
            final Object value = values[index];
            values[index] = null;
            return value;
        }

        /** Lock held: the slots, made (all empty) at the first delivery. */
        private Object[] slots() {
            if (values == null) {
                values = new Object[inputs.length];
                Arrays.fill(values, EMPTY);
            }
            return values;
        }

        @Override
        public void deliver(final int index, final Object value, final Throwable error) {
            synchronized (OutcomeStream.this) {
                if (abandoned) {
                    return;
                }
                if (ordered) {
                    final Object[] slots = slots();
                    if (error != null) {
                        if (errors == null) {
                            errors = new Throwable[slots.length];
                        }
                        errors[index] = error;
                        slots[index] = null;
                    } else {
                        slots[index] = value;
                    }
                } else {
                    done.addLast(new Outcome<>(base + index, inputs[index], error == null ? value : null, error));
                }
            }
        }

        @Override
        public void deliverAll(final int firstIndex, final Object[] results, final Throwable[] failures) {
            synchronized (OutcomeStream.this) {
                if (abandoned) {
                    return;
                }
                if (ordered && failures == null && values == null && firstIndex == 0
                    && results.length == inputs.length && results.getClass() == Object[].class) {
                    values = results; // the whole chunk at once: its array is ours (JobSink#deliverAll)
                } else if (ordered && failures == null) {
                    System.arraycopy(results, 0, slots(), firstIndex, results.length);
                } else {
                    for (int i = 0; i < results.length; i++) {
                        deliver(firstIndex + i, results[i], failures == null ? null : failures[i]);
                    }
                }
                OutcomeStream.this.notifyAll();
            }
        }

        @Override
        public void deliverInts(final int[] results) {
            synchronized (OutcomeStream.this) {
                if (abandoned) {
                    return;
                }
                if (ordered && values == null && ints == null && results.length == inputs.length) {
                    ints = results; // the whole chunk at once, kept packed (JobSink#deliverInts)
                    OutcomeStream.this.notifyAll();
                    return;
                }
            }
            JobSink.super.deliverInts(results);
        }

        @Override
        public void flush() {
            synchronized (OutcomeStream.this) {
                OutcomeStream.this.notifyAll();
            }
        }
    }
}
