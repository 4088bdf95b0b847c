package dev.forklift.pool;

import dev.forklift.ForkliftException;

/**
 * A {@link Pool#map(SerializableFunction, Iterable, java.time.Duration)} call did not have every result within its
 * timeout. Thrown on the calling thread; the inputs not yet sent are never read, and the results still to come are
 * dropped (tasks already running in workers run to their end, or to the pool's task timeout).
 *
 * @serial exclude
 */
public class MapTimeoutException extends ForkliftException {
    private static final long serialVersionUID = 1L;

    private final long timeoutMs;
    private final long resultsDone;

    /**
     * @param timeoutMs   the timeout of the call.
     * @param resultsDone results received before it passed.
     */
    public MapTimeoutException(final long timeoutMs, final long resultsDone) {
        super("map did not finish within its timeout: timeoutMs=" + timeoutMs + ", results done=" + resultsDone);
        this.timeoutMs = timeoutMs;
        this.resultsDone = resultsDone;
    }

    /** @return the timeout of the call, in ms. */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** @return how many results, in input order, were received before the timeout. */
    public long resultsDone() {
        return resultsDone;
    }
}
