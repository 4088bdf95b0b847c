package dev.forklift.pool.internal;

import dev.forklift.codec.CodecException;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A worker's loop: take a task frame, run its tasks in order, send their results; exit when the inbox ends.
 * Results are flushed at the end of every frame, and before and after every isolated task, so that the master
 * knows exactly which task an isolated worker was running when it died; also after any task once a result has
 * waited {@value #MAX_RESULT_HOLD_MS} ms, so that a frame of slow tasks reports as it goes. Internal; not API.
 */
final class WorkerLoop {
    /** The longest a finished task's result waits for the rest of its frame. */
    static final long MAX_RESULT_HOLD_MS = 100;

    private final Queue<byte[]> inbox;
    private final ResultWriter results;
    private final ElementCodec codec;
    private final TaskContext context;
    private final Map<Integer, Object> functions = new HashMap<>();

    WorkerLoop(final Queue<byte[]> inbox, final ResultWriter results, final ElementCodec codec,
        final TaskContext context) {
        this.inbox = inbox;
        this.results = results;
        this.codec = codec;
        this.context = context;
    }

    void run() throws InterruptedException {
        while (true) {
            final byte[] frame;
            try {
                frame = inbox.take();
            } catch (final EndOfStreamException ex) {
                results.flush();
                return;
            }
            if (FaultPoints.enabled()) {
                FaultPoints.reached(FaultPoints.AFTER_DEQUEUE);
            }
            runFrame(ByteBuffer.wrap(frame));
            results.flush();
        }
    }

    private void runFrame(final ByteBuffer in) throws InterruptedException {
        final int definitions = in.getInt();
        for (int i = 0; i < definitions; i++) {
            final int functionId = in.getInt();
            final byte[] bytes = new byte[in.getInt()];
            in.get(bytes);
            Object function;
            try {
                function = Serialized.fromBytes(bytes);
            } catch (final Exception | LinkageError ex) {
                function = new IllegalStateException("cannot decode the function in the worker: " + ex, ex);
            }
            functions.put(functionId, function);
        }
        final int tasks = in.getInt();
        for (int t = 0; t < tasks; t++) {
            final long taskId = in.getLong();
            final int attempt = in.getInt();
            final Object function = functions.get(in.getInt());
            final boolean isolated = (in.get() & TaskFrames.FLAG_ISOLATED) != 0;
            final int count = in.getInt();
            if (isolated) {
                results.flush();
            }
            results.beginTask(taskId, attempt);
            for (int i = 0; i < count; i++) {
                runOne(function, in);
            }
            context.addItemsDone(count);
            if (isolated) {
                results.flush();
            } else {
                results.flushIfHeldLongerThan(MAX_RESULT_HOLD_MS * 1_000_000L);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void runOne(final Object function, final ByteBuffer in) throws InterruptedException {
        final Object input;
        try {
            input = codec.read(in);
        } catch (final RuntimeException | LinkageError ex) {
            results.error(new CodecException("cannot decode the input in the worker: " + ex.getMessage(), ex));
            return;
        }
        if (input == ElementCodec.SKIP) {
            results.skip();
            return;
        }
        if (function instanceof Throwable) {
            results.error((Throwable) function);
            return;
        }
        if (FaultPoints.enabled()) {
            FaultPoints.reached(FaultPoints.DURING_TASK);
        }
        final Object result;
        try {
            result = ((Function<Object, Object>) function).apply(input);
        } catch (final Throwable thrown) {
            if (thrown instanceof VirtualMachineError && !(thrown instanceof StackOverflowError)) {
                throw (VirtualMachineError) thrown;
            }
            results.error(thrown);
            return;
        }
        results.ok(result);
    }
}
