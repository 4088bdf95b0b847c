package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Worker exits waiting to be handled. A worker's exit is handled only once the master has read past every result
 * frame the worker sent or was sending when it died: the exit is noted with a mark of the result stream taken
 * after the exit ({@link WorkerTransport#resultsMark()}), and it is ready once the stream was read past that mark
 * ({@link WorkerTransport#resultsReadPast}). A poll that finds nothing does not make an exit ready: the head of the
 * stream may be a slot that a killed worker left torn, with other frames waiting behind it until it is repaired.
 * Internal; not API.
 *
 * <p>Guarded by the pool's lock: {@link #exited} from the thread that learns of an exit, {@link #ready} from the
 * collector. Never blocks.
 */
final class DeathQueue {
    private final List<Death> deaths = new ArrayList<>();

    /**
     * @param worker      a worker that exited.
     * @param resultsMark a mark of the result stream taken after the exit was known.
     */
    void exited(final WorkerState worker, final long resultsMark) {
        deaths.add(new Death(worker, resultsMark));
    }

    /**
     * @param readPast tells whether the result stream was read past a mark (collector thread).
     * @return the workers whose exit may be handled now, in exit order; no longer waiting.
     */
    List<WorkerState> ready(final LongPredicate readPast) {
        List<WorkerState> ready = List.of();
        for (final Iterator<Death> it = deaths.iterator(); it.hasNext(); ) {
            final Death death = it.next();
            if (readPast.test(death.resultsMark)) {
                it.remove();
                if (ready.isEmpty()) {
                    ready = new ArrayList<>();
                }
                ready.add(death.worker);
            }
        }
        return ready;
    }

    /** @return exits noted and not yet handed out. */
    int waiting() {
        return deaths.size();
    }

    private record Death(WorkerState worker, long resultsMark) {
    }
}
