package dev.forklift.pool.internal;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Chooses the tasks of the next frame for a worker: from the head of the pending queue, an even share of what is
 * pending among the workers with room (at most {@link Master#MAX_TASKS_PER_FRAME}), never past the worker's
 * {@code maxTasksPerWorker}, and never over the largest message (a single task always goes, alone). Each function
 * the worker has not seen yet is defined once in the frame. Internal; not API.
 *
 * <p>Called by the master's dispatcher with the pool's lock held; never blocks. Stateless.
 */
final class FramePlanner {
    private FramePlanner() {
    }

    /**
     * Moves the next frame's tasks from the pending queue into {@code batch}.
     *
     * @param pending     the pending tasks; those chosen are removed from its head.
     * @param target      the worker the frame goes to.
     * @param eligible    workers with room for a frame, at least 1.
     * @param config      the pool's settings.
     * @param batch       receives the tasks, in order; empty on entry.
     * @param definitions receives the functions to define in the frame; empty on entry.
     */
    static void plan(final ArrayDeque<Job> pending, final WorkerState target, final int eligible,
        final PoolConfig config, final List<Job> batch, final List<FunctionRef> definitions) {
        int quota = Math.min(Master.MAX_TASKS_PER_FRAME, (pending.size() + eligible - 1) / eligible);
        if (config.maxTasksPerWorker() > 0) {
            quota = Math.min(quota, config.maxTasksPerWorker() - target.tasksAssigned);
        }
        int bytes = TaskFrames.FRAME_HEADER_BYTES;
        while (batch.size() < quota && !pending.isEmpty()) {
            final Job job = pending.peekFirst();
            int size = TaskFrames.size(job);
            final boolean define = !target.functionsSent.get(job.function.id())
                && !definitions.contains(job.function);
            if (define) {
                size += TaskFrames.size(job.function);
            }
            if (bytes + size > config.maxMessageBytes() && !batch.isEmpty()) {
                break;
            }
            pending.pollFirst();
            bytes += size;
            if (define) {
                definitions.add(job.function);
            }
            batch.add(job);
        }
    }
}
