package dev.forklift.cluster.internal;

import dev.forklift.pool.Outcome;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The outcomes of a {@code map}/{@code imap} over a cluster pool, in input order or in completion order. Inputs
 * are read lazily on the consuming thread, in chunks, keeping at most the window in flight; outcomes arrive on the
 * pool's collector thread. Internal to the module.
 */
final class ResultStream implements Iterator<Outcome<Object, Object>> {
    private final ClusterPool pool;
    private final Object function;
    private final Iterator<?> inputs;
    private final boolean ordered;
    private final int chunk;
    private final int window;
    private final Map<Long, Outcome<Object, Object>> byIndex = new HashMap<>();
    private final ArrayDeque<Outcome<Object, Object>> inOrderOfArrival = new ArrayDeque<>();
    /** Inputs read so far (the next input's index). Consuming thread only. */
    private long read;
    /** Outcomes handed out so far. Consuming thread only. */
    private long consumed;
    private boolean abandoned;

    ResultStream(final ClusterPool pool, final Object function, final Iterator<?> inputs, final boolean ordered,
        final int chunk, final int window) {
        this.pool = pool;
        this.function = function;
        this.inputs = inputs;
        this.ordered = ordered;
        this.chunk = chunk;
        this.window = window;
    }

    /** Reads and sends inputs while the window has room for a whole chunk (never a trickle of tiny tasks). */
    private void fill() {
        while (window - (read - consumed) >= chunk && inputs.hasNext()) {
            final List<Object> batch = new ArrayList<>(chunk);
            while (batch.size() < chunk && inputs.hasNext()) {
                batch.add(inputs.next());
            }
            final long base = read;
            read += batch.size();
            final Object[] chunkInputs = batch.toArray();
            pool.checkAccepting();
            pool.submitChunk(function, chunkInputs, (index, value, error) ->
                arrived(new Outcome<>(base + index, chunkInputs[index], value, error)));
        }
    }

    private synchronized void arrived(final Outcome<Object, Object> outcome) {
        if (abandoned) {
            return;
        }
        if (ordered) {
            byIndex.put(outcome.index(), outcome);
        } else {
            inOrderOfArrival.addLast(outcome);
        }
        notifyAll();
    }

    @Override
    public boolean hasNext() {
        fill();
        return consumed < read;
    }

    @Override
    public Outcome<Object, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final Outcome<Object, Object> outcome;
        synchronized (this) {
            try {
                while (ordered ? !byIndex.containsKey(consumed) : inOrderOfArrival.isEmpty()) {
                    wait(100);
                }
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a result", ex);
            }
            outcome = ordered ? byIndex.remove(consumed) : inOrderOfArrival.pollFirst();
        }
        consumed++;
        return outcome;
    }

    /** Drops outcomes still to come (after a failure ended a map). */
    synchronized void abandon() {
        abandoned = true;
        byIndex.clear();
        inOrderOfArrival.clear();
    }
}
