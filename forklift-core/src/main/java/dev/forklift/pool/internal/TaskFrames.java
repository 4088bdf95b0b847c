package dev.forklift.pool.internal;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes task frames, master to worker. A frame may hold definitions only (a large definition travels in a
 * frame of its own). Internal; not API.
 *
 * <pre>
 *  task frame := int definitionCount, definition*, int taskCount, task*
 *  definition := int functionId, int length, serialized function     (sent once per worker and function)
 *  task       := long taskId, int attempt, int functionId, byte flags, int count, element{count}
 * </pre>
 */
final class TaskFrames {
    static final byte FLAG_ISOLATED = 1;
    static final int FRAME_HEADER_BYTES = 8;
    static final int TASK_HEADER_BYTES = 21;

    private TaskFrames() {
    }

    static int size(final FunctionRef function) {
        return 8 + function.bytes().length;
    }

    static int size(final Job job) {
        return TASK_HEADER_BYTES + job.payload.length;
    }

    /** @return the bytes the tasks take in a frame, headers included. */
    static int tasksSize(final List<Job> jobs) {
        int size = 0;
        for (final Job job : jobs) {
            size += size(job);
        }
        return size;
    }

    /** @return the bytes the definitions take in a frame, headers included. */
    static int definitionsSize(final List<FunctionRef> definitions) {
        int size = 0;
        for (final FunctionRef function : definitions) {
            size += size(function);
        }
        return size;
    }

    static byte[] encode(final List<FunctionRef> definitions, final List<Job> jobs, final int[] attempts,
        final boolean[] isolated) {
        int size = FRAME_HEADER_BYTES;
        for (final FunctionRef function : definitions) {
            size += size(function);
        }
        for (final Job job : jobs) {
            size += size(job);
        }
        final ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(definitions.size());
        for (final FunctionRef function : definitions) {
            out.putInt(function.id()).putInt(function.bytes().length).put(function.bytes());
        }
        out.putInt(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            final Job job = jobs.get(i);
            out.putLong(job.id).putInt(attempts[i]).putInt(job.function.id())
                .put(isolated[i] ? FLAG_ISOLATED : 0).putInt(job.count).put(job.payload);
        }
        return out.array();
    }
}
