package dev.forklift.pool.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One task as the master tracks it: a function and one or more encoded inputs (a chunk), its current attempt
 * (the fencing token sent with it, echoed by its results), the attempts charged to it, and the worker running it.
 * Mutable state is guarded by the pool's lock. Internal; not API.
 */
final class Job {
    final long id;
    final FunctionRef function;
    /** The inputs, encoded as {@link ElementCodec} elements, back to back. */
    final byte[] payload;
    final int count;
    final Object[] inputs;
    final JobSink sink;

    /** Attempts started so far; the current attempt's number. */
    int attempt;
    /** Attempts that ended in a crash, a timeout or a retried exception. */
    int charged;
    /** Its future was cancelled after it was sent: it is never sent again (after its worker's death). */
    boolean cancelled;
    /** Run alone: the worker flushes results before and after it. */
    boolean isolated;
    /** Inputs whose outcome has been delivered, in order from 0 (those of the current attempt). */
    int delivered;
    WorkerState worker;
    long frameSeq;
    boolean lastInFrame;
    /** When the current attempt was sent to its worker, {@link System#nanoTime()}. */
    long dispatchedNs;
    /** True once the current attempt was seen running in its worker ({@link TaskClock}). */
    boolean startSeen;
    /** When the current attempt started in its worker, {@link System#nanoTime()}; valid once {@link #startSeen}. */
    long startedNs;
    /** When the task (or the task it was split from) was first sent to a worker, epoch ms; 0 before. */
    long firstAttemptMs;
    /** When it was last sent to a worker, epoch ms; 0 before. */
    long lastAttemptMs;

    Job(final long id, final FunctionRef function, final byte[] payload, final int count, final Object[] inputs,
        final JobSink sink) {
        this.id = id;
        this.function = function;
        this.payload = payload;
        this.count = count;
        this.inputs = inputs;
        this.sink = sink;
    }

    /**
     * Splits the undelivered inputs into one task each, which deliver into this task's sink.
     *
     * @param ids where new ids come from.
     * @return the new tasks, in input order (skipped inputs left out: their outcome is already known).
     */
    List<Job> splitRemaining(final java.util.function.LongSupplier ids) {
        final ByteBuffer in = ByteBuffer.wrap(payload);
        final List<Job> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int start = in.position();
            final boolean skipped = in.getInt(start) == -2;
            ElementCodec.skip(in);
            if (i < delivered || skipped) {
                continue;
            }
            final byte[] one = new byte[in.position() - start];
            System.arraycopy(payload, start, one, 0, one.length);
            final Job part = new Job(ids.getAsLong(), function, one, 1, new Object[] {inputs[i]}, offset(sink, i));
            part.charged = charged;
            part.firstAttemptMs = firstAttemptMs;
            part.lastAttemptMs = lastAttemptMs;
            part.isolated = true;
            part.cancelled = cancelled;
            parts.add(part);
        }
        return parts;
    }

    /**
     * Fails every input without an outcome yet (skipped inputs already have theirs) and marks the task done.
     *
     * @param error       why.
     * @param completions where the deliveries are queued, to run outside the pool's lock.
     */
    void failUndelivered(final Throwable error, final List<Runnable> completions) {
        failUndelivered(error, completions, index -> { });
    }

    /**
     * As {@link #failUndelivered(Throwable, List)}, telling {@code onFailed} of each input failed (before its
     * delivery is queued).
     *
     * @param error       why.
     * @param completions where the deliveries are queued, to run outside the pool's lock.
     * @param onFailed    called with the index of each input failed here, under the pool's lock.
     */
    void failUndelivered(final Throwable error, final List<Runnable> completions,
        final java.util.function.IntConsumer onFailed) {
        final int from = delivered;
        delivered = count;
        final ByteBuffer in = ByteBuffer.wrap(payload);
        for (int i = 0; i < count; i++) {
            final boolean skipped = in.getInt(in.position()) == -2;
            ElementCodec.skip(in);
            if (i >= from && !skipped) {
                final int index = i;
                onFailed.accept(index);
                completions.add(() -> sink.deliver(index, null, error));
            }
        }
        completions.add(sink::flush);
    }

    /**
     * @param newId the id of the new task.
     * @param index an input of this task.
     * @return a single-input task that runs that input again and delivers into this task's sink.
     */
    Job retryOne(final long newId, final int index) {
        final ByteBuffer in = ByteBuffer.wrap(payload);
        for (int i = 0; i < index; i++) {
            ElementCodec.skip(in);
        }
        final int start = in.position();
        ElementCodec.skip(in);
        final Job again = new Job(newId, function, Arrays.copyOfRange(payload, start, in.position()), 1,
            new Object[] {inputs[index]}, offset(sink, index));
        again.charged = charged + 1;
        again.firstAttemptMs = firstAttemptMs;
        again.lastAttemptMs = lastAttemptMs;
        again.isolated = true;
        return again;
    }

    static JobSink offset(final JobSink sink, final int offset) {
        return new JobSink() {
            @Override
            public void deliver(final int index, final Object value, final Throwable error) {
                sink.deliver(offset + index, value, error);
            }

            @Override
            public void flush() {
                sink.flush();
            }
        };
    }

    int undelivered() {
        return count - delivered;
    }
}
