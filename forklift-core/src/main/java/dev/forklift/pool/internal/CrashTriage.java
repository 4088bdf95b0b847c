package dev.forklift.pool.internal;

import java.util.List;

/**
 * Decides which unfinished tasks of a dead worker may have been running when it died. Pure functions over the
 * master's state (called under the pool's lock). Internal; not API.
 *
 * <p>A worker runs its tasks in the order sent and flushes its results at the end of every frame and before and
 * after every isolated task. So the first unfinished task was running, unless it shares its frame with further
 * unfinished, non-isolated tasks: any of those may have been running (their results were not flushed yet).
 */
final class CrashTriage {
    private CrashTriage() {
    }

    /**
     * @param unfinished the dead worker's unfinished tasks, in the order sent (not empty).
     * @return how many tasks from the start of the list may have been running: 1 when the first is isolated,
     *         else every following non-isolated task of the same frame too.
     */
    static int suspects(final List<Job> unfinished) {
        final Job first = unfinished.get(0);
        int end = 1;
        if (!first.isolated) {
            while (end < unfinished.size() && !unfinished.get(end).isolated
                && unfinished.get(end).frameSeq == first.frameSeq) {
                end++;
            }
        }
        return end;
    }

    /**
     * @param unfinished the dead worker's unfinished tasks.
     * @param suspects   the result of {@link #suspects}.
     * @return true when exactly one input may have been running: it is the culprit and is charged an attempt.
     *         Otherwise the suspects' inputs are re-sent one by one, isolated, without charge.
     */
    static boolean isExact(final List<Job> unfinished, final int suspects) {
        int inputs = 0;
        for (int i = 0; i < suspects; i++) {
            inputs += unfinished.get(i).undelivered();
        }
        return inputs == 1;
    }
}
