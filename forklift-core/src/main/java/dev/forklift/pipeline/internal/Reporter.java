package dev.forklift.pipeline.internal;

import dev.forklift.queue.Queue;

/**
 * Sends progress and failures of one process to the parent over the events queue. Progress is summed and sent
 * at most every {@value #INTERVAL_NS} ns (and on {@link #flush()}). Thread-safe.
 */
final class Reporter {
    private static final long INTERVAL_NS = 100_000_000L;

    private final Queue<Event> events;
    private long bytes;
    private long items;
    private long sources;
    private long lastSentNs = System.nanoTime();

    Reporter(final Queue<Event> events) {
        this.events = events;
    }

    synchronized void add(final long bytesRead, final long itemsRead, final long sourcesDone)
        throws InterruptedException {
        bytes += bytesRead;
        items += itemsRead;
        sources += sourcesDone;
        if (sourcesDone > 0 || System.nanoTime() - lastSentNs > INTERVAL_NS) {
            flush();
        }
    }

    synchronized void flush() throws InterruptedException {
        if (bytes != 0 || items != 0 || sources != 0) {
            events.put(Event.progress(bytes, items, sources));
            bytes = 0;
            items = 0;
            sources = 0;
        }
        lastSentNs = System.nanoTime();
    }

    /** Sends the progress so far, then the events of one source (started or done) right away. */
    synchronized void sourceEvent(final Event event) throws InterruptedException {
        flush();
        events.put(event);
    }

    void failure(final Event failure) throws InterruptedException {
        events.put(failure);
    }
}
