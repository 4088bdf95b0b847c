package dev.forklift.pool.internal;

import dev.forklift.codec.CodecFailures;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Decodes result frames (see {@link ResultWriter} for the layout) in the master. Internal; not API. */
final class ResultFrames {
    private ResultFrames() {
    }

    /**
     * The outcomes of consecutive inputs of one task attempt.
     *
     * @param taskId     the task.
     * @param attempt    the attempt (fencing token).
     * @param firstIndex the position of the first outcome within the task.
     * @param values     results ({@link ElementCodec#SKIP} for skipped inputs).
     * @param errors     failures, or null when none; an entry is null when its input succeeded.
     */
    record Record(long taskId, int attempt, int firstIndex, Object[] values, Throwable[] errors) {
    }

    static int workerId(final byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(0);
    }

    static List<Record> decode(final byte[] frame, final ElementCodec codec, final String workerName,
        final long pid) {
        final ByteBuffer in = ByteBuffer.wrap(frame);
        in.getInt();
        final int recordCount = in.getInt();
        final List<Record> records = new ArrayList<>(recordCount);
        for (int r = 0; r < recordCount; r++) {
            final long taskId = in.getLong();
            final int attempt = in.getInt();
            final int firstIndex = in.getInt();
            final int count = in.getInt();
            final Object[] values = new Object[count];
            Throwable[] errors = null;
            for (int i = 0; i < count; i++) {
                final byte status = in.get();
                Throwable error = null;
                if (status == ResultWriter.OK) {
                    try {
                        values[i] = codec.read(in);
                    } catch (final Throwable ex) {
                        error = CodecFailures.wrap("cannot decode the result in the parent", ex);
                    }
                } else if (status == ResultWriter.ERROR) {
                    final byte[] bytes = new byte[in.getInt()];
                    in.get(bytes);
                    error = ErrorCodec.decode(bytes, workerName, pid);
                } else {
                    values[i] = ElementCodec.SKIP;
                }
                if (error != null) {
                    if (errors == null) {
                        errors = new Throwable[count];
                    }
                    errors[i] = error;
                }
            }
            records.add(new Record(taskId, attempt, firstIndex, values, errors));
        }
        return records;
    }
}
