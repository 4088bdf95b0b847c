package dev.forklift.pipeline.internal;

import java.io.Serializable;

/**
 * What pipeline processes tell the parent over the events queue: progress deltas, or one failure.
 *
 * @param stage       for a failure, the stage name; null for progress.
 * @param source      the source index of the failed item, or -1.
 * @param position    its position, or -1.
 * @param pid         the reporting process.
 * @param error       for a failure, the error's class and message.
 * @param bytesRead   progress: bytes read since the last event.
 * @param itemsRead   progress: items read since the last event.
 * @param sourcesDone progress: sources finished since the last event.
 */
public record Event(String stage, int source, long position, long pid, String error, long bytesRead,
                    long itemsRead, long sourcesDone) implements Serializable {
    private static final long PID = ProcessHandle.current().pid();

    /** @return true for a failure event. */
    public boolean isFailure() {
        return stage != null;
    }

    static Event failure(final String stage, final int source, final long position, final Throwable error) {
        return new Event(stage, source, position, PID, describe(error), 0, 0, 0);
    }

    static Event progress(final long bytesRead, final long itemsRead, final long sourcesDone) {
        return new Event(null, -1, -1, PID, null, bytesRead, itemsRead, sourcesDone);
    }

    /** A producer took source {@code index} and starts reading it. */
    static Event sourceStarted(final int index) {
        return new Event(null, index, -1, PID, null, 0, 0, 0);
    }

    /** A producer read source {@code index} to its end (or gave it up per the policy); with the last progress. */
    static Event sourceDone(final int index, final long bytesRead, final long itemsRead) {
        return new Event(null, index, -1, PID, null, bytesRead, itemsRead, 1);
    }

    /** @return for a progress event about one source, its index; -1 otherwise. */
    public int sourceIndex() {
        return isFailure() ? -1 : source;
    }

    static String describe(final Throwable error) {
        final String message = error.getMessage();
        return error.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
