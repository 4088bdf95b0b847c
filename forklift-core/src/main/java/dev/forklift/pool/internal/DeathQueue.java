package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Worker exits waiting to be handled. A worker's exit is handled only once the result frames that were queued when
 * it exited have been read (or the result queue was found empty), so that results a worker sent just before dying
 * count. Internal; not API.
 *
 * <p>Guarded by the pool's lock: {@link #exited} from the thread that learns of an exit, the rest from the
 * collector. Never blocks.
 */
final class DeathQueue {
    private final List<Death> deaths = new ArrayList<>();

    /**
     * @param worker       a worker that exited.
     * @param framesBefore result frames queued at that moment (a snapshot).
     */
    void exited(final WorkerState worker, final int framesBefore) {
        deaths.add(new Death(worker, framesBefore));
    }

    /** One result frame was read: every waiting exit is one frame closer. */
    void frameRead() {
        for (final Death death : deaths) {
            death.framesBefore--;
        }
    }

    /**
     * @param drained true when the result queue was just found empty.
     * @return the workers whose exit may be handled now, in exit order; no longer waiting.
     */
    List<WorkerState> ready(final boolean drained) {
        List<WorkerState> ready = List.of();
        for (final Iterator<Death> it = deaths.iterator(); it.hasNext(); ) {
            final Death death = it.next();
            if (drained || death.framesBefore <= 0) {
                it.remove();
                if (ready.isEmpty()) {
                    ready = new ArrayList<>();
                }
                ready.add(death.worker);
            }
        }
        return ready;
    }

    private static final class Death {
        final WorkerState worker;
        int framesBefore;

        Death(final WorkerState worker, final int framesBefore) {
            this.worker = worker;
            this.framesBefore = framesBefore;
        }
    }
}
