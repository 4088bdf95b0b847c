package dev.forklift.pool.internal;

import dev.forklift.codec.CodecFailures;
import dev.forklift.queue.Queue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects a worker's results into result frames and sends them. Single-threaded (the worker's loop). Internal.
 *
 * <pre>
 *  result frame := int workerId, int recordCount, record*
 *  record       := long taskId, int attempt, int firstIndex, int count, outcome{count}
 *  outcome      := byte OK, element | byte ERROR, int length, error bytes ({@link ErrorCodec}) | byte SKIP
 * </pre>
 * A task's outcomes may span several records (and frames); they always come in input order.
 */
final class ResultWriter {
    static final byte OK = 0;
    static final byte ERROR = 1;
    static final byte SKIP = 2;
    private static final int HEADER_BYTES = 8;
    private static final int RECORD_HEADER_BYTES = 20;

    private final int workerId;
    private final Queue<byte[]> out;
    private final ElementCodec codec;
    private final ByteBuffer buffer;
    private int records;
    private long taskId;
    private int attempt;
    private int nextIndex;
    private int recordCountAt = -1;
    private int recordCount;
    /** When the oldest result not yet sent was written (System.nanoTime); meaningless while none is held. */
    private long heldSinceNs;

    ResultWriter(final int workerId, final Queue<byte[]> out, final ElementCodec codec, final int maxMessageBytes) {
        this.workerId = workerId;
        this.out = out;
        this.codec = codec;
        this.buffer = ByteBuffer.allocate(maxMessageBytes);
        reset();
    }

    void beginTask(final long id, final int attemptNumber) {
        this.taskId = id;
        this.attempt = attemptNumber;
        this.nextIndex = 0;
        this.recordCountAt = -1;
    }

    void ok(final Object value) throws InterruptedException {
        final int start = openRecord();
        try {
            buffer.put(OK);
            codec.write(value, buffer);
            closeOutcome();
            return;
        } catch (final BufferOverflowException ex) {
            buffer.position(start);
            if (recordCount > 0 || records > 1) {
                flush();
                ok(value);
                return;
            }
            error(new IllegalStateException("the result does not fit in a message of " + buffer.capacity()
                + " bytes (maxMessageBytes)"));
        } catch (final Throwable ex) {
            buffer.position(start);
            // any failure of the codec fails this task only; a fatal error ends the worker (a crash), as it should
            error(CodecFailures.wrap("cannot encode the result of type " + value.getClass().getName(),
                ex));
        }
    }

    void error(final Throwable thrown) throws InterruptedException {
        byte[] bytes = ErrorCodec.encode(thrown);
        if (bytes.length > buffer.capacity() / 2) {
            bytes = ErrorCodec.encode(new IllegalStateException(thrown.getClass().getName()
                + " (its report was too large to send)"));
        }
        if (buffer.remaining() < bytes.length + 5 + RECORD_HEADER_BYTES) {
            flush();
        }
        openRecord();
        buffer.put(ERROR).putInt(bytes.length).put(bytes);
        closeOutcome();
    }

    void skip() throws InterruptedException {
        if (buffer.remaining() < 1 + RECORD_HEADER_BYTES) {
            flush();
        }
        openRecord();
        buffer.put(SKIP);
        closeOutcome();
    }

    /**
     * Sends what is collected once its oldest result has waited this long, so that a frame of many slow tasks
     * reports its results as they come (the caller's progress moves steadily) instead of all at the frame's end.
     *
     * @param maxHoldNs the longest a result may wait for the rest of its frame.
     * @param nowNs     {@link System#nanoTime()} read just now (the caller's reading, shared with its work stamp).
     * @return true if it sent (and so may have waited for room in the results queue).
     * @throws InterruptedException if interrupted while the results queue is full.
     */
    boolean flushIfHeldLongerThan(final long maxHoldNs, final long nowNs) throws InterruptedException {
        if (records > 0 && nowNs - heldSinceNs >= maxHoldNs) {
            flush();
            return true;
        }
        return false;
    }

    /** Sends what is collected, if anything. */
    void flush() throws InterruptedException {
        if (records == 0) {
            return;
        }
        buffer.putInt(4, records);
        if (FaultPoints.enabled()) {
            FaultPoints.reached(FaultPoints.BEFORE_FLUSH);
            final boolean die = FaultPoints.fires(FaultPoints.MID_PUT);
            if (die || FaultPoints.fires(FaultPoints.STALL_MID_PUT)) {
                putWithFault(die);
                return;
            }
        }
        out.put(Arrays.copyOf(buffer.array(), buffer.position()));
        reset();
        if (FaultPoints.enabled()) {
            FaultPoints.reached(FaultPoints.AFTER_WRITE);
        }
    }

    /**
     * Fault injection: claims the frame's slot and writes it in place, dying half-way ({@code mid-put}) or
     * holding the slot for the stall time first ({@code stall-mid-put}).
     */
    private void putWithFault(final boolean die) throws InterruptedException {
        final int length = buffer.position();
        out.putInPlace(length, slot -> {
            slot.put(buffer.array(), 0, length / 2);
            if (die) {
                FaultPoints.killMinus9();
            }
            FaultPoints.stall();
            return slot.put(buffer.array(), length / 2, length - length / 2).position();
        });
        reset();
    }

    private int openRecord() throws InterruptedException {
        if (recordCountAt < 0) {
            if (buffer.remaining() < RECORD_HEADER_BYTES + 16) {
                flush();
            }
            buffer.putLong(taskId).putInt(attempt).putInt(nextIndex);
            recordCountAt = buffer.position();
            buffer.putInt(0);
            recordCount = 0;
            if (records++ == 0) {
                heldSinceNs = System.nanoTime();
            }
        }
        return buffer.position();
    }

    private void closeOutcome() {
        recordCount++;
        nextIndex++;
        buffer.putInt(recordCountAt, recordCount);
    }

    private void reset() {
        buffer.clear();
        buffer.putInt(workerId).putInt(0);
        records = 0;
        recordCountAt = -1;
        recordCount = 0;
    }
}
