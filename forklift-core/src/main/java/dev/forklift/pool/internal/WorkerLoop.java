package dev.forklift.pool.internal;

import dev.forklift.codec.CodecFailures;
import dev.forklift.process.TaskContext;
import dev.forklift.process.internal.StartupTrace;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A worker's loop: take a task frame, run its tasks in order, send their results; exit when the inbox ends.
 * Results are flushed at the end of every frame, and before and after every isolated task, so that the master
 * knows exactly which task an isolated worker was running when it died. Around every isolated task (all tasks of
 * a pool with a task timeout) the worker flushes its results; around every task it writes a work stamp in its
 * status row: the task's id when it starts, the id negated once its results are written (or, for a task that is not
 * isolated, once it ran); the master times the task from that start ({@link TaskClock}).
 * A frame may carry only function definitions (the master sends a large one in a frame of its own); a function
 * is decoded at its first use. Results are also flushed after any task once a result has waited
 * {@value #MAX_RESULT_HOLD_MS} ms, so that a frame of slow tasks reports as it goes. Internal; not API.
 */
final class WorkerLoop {
    /** The longest a finished task's result waits for the rest of its frame. */
    static final long MAX_RESULT_HOLD_MS = 100;

    private final Queue<byte[]> inbox;
    private final ResultWriter results;
    private final ElementCodec codec;
    private final TaskContext context;
    /** Function definitions received and not decoded yet, by id. */
    private final Map<Integer, byte[]> definitions = new HashMap<>();
    /** Decoded functions (or the error that decoding one gave), by id. */
    private final Map<Integer, Object> functions = new HashMap<>();

    WorkerLoop(final Queue<byte[]> inbox, final ResultWriter results, final ElementCodec codec,
        final TaskContext context) {
        this.inbox = inbox;
        this.results = results;
        this.codec = codec;
        this.context = context;
    }

    void run() throws InterruptedException {
        boolean first = StartupTrace.enabled();
        while (true) {
            final byte[] frame;
            try {
                frame = inbox.take();
                if (first) {
                    StartupTrace.stamp("worker first frame taken");
                }
            } catch (final EndOfStreamException ex) {
                results.flush();
                return;
            }
            if (FaultPoints.enabled()) {
                FaultPoints.reached(FaultPoints.AFTER_DEQUEUE);
            }
            runFrame(ByteBuffer.wrap(frame));
            results.flush();
            if (first) {
                first = false;
                StartupTrace.stamp("worker first frame done");
            }
        }
    }

    private void runFrame(final ByteBuffer in) throws InterruptedException {
        final int definitionCount = in.getInt();
        for (int i = 0; i < definitionCount; i++) {
            final int functionId = in.getInt();
            final byte[] bytes = new byte[in.getInt()];
            in.get(bytes);
            definitions.put(functionId, bytes);
            functions.remove(functionId);
        }
        final int tasks = in.getInt();
        // One clock read per task boundary: the end stamp of a task, its results' hold check and the start stamp
        // of the next share it (the clock is the dearest part of the stamps on a virtual machine's clock source).
        long nowNs = System.nanoTime();
        for (int t = 0; t < tasks; t++) {
            final long taskId = in.getLong();
            final int attempt = in.getInt();
            final int functionId = in.getInt();
            final boolean isolated = (in.get() & TaskFrames.FLAG_ISOLATED) != 0;
            final int count = in.getInt();
            if (isolated) {
                results.flush();
            }
            // From here the master times this task (task timeouts; its function is decoded after this), and
            // observers of the status board see it as the worker's current task.
            context.workStamp(taskId, nowNs);
            final Object function = function(functionId);
            results.beginTask(taskId, attempt);
            for (int i = 0; i < count; i++) {
                runOne(function, in);
            }
            context.addItemsDone(count);
            nowNs = System.nanoTime();
            context.workStamp(-taskId, nowNs);
            final boolean sent;
            if (isolated) {
                results.flush();
                sent = true;
            } else {
                sent = results.flushIfHeldLongerThan(MAX_RESULT_HOLD_MS * 1_000_000L, nowNs);
            }
            if (sent) {
                nowNs = System.nanoTime(); // a send may have waited for room in the results queue
            }
        }
    }

    /** @return the function, decoded at its first use, or the error (a Throwable) that decoding it gave. */
    private Object function(final int functionId) {
        Object function = functions.get(functionId);
        if (function == null) {
            final byte[] bytes = definitions.remove(functionId);
            try {
                function = bytes == null
                    ? new IllegalStateException("function " + functionId + " was never sent to this worker")
                    : Serialized.fromBytes(bytes);
            } catch (final Exception | LinkageError | StackOverflowError ex) {
                function = new IllegalStateException("cannot decode the function in the worker: " + ex, ex);
            }
            functions.put(functionId, function);
        }
        return function;
    }

    @SuppressWarnings("unchecked")
    private void runOne(final Object function, final ByteBuffer in) throws InterruptedException {
        final Object input;
        try {
            input = codec.read(in);
        } catch (final Throwable ex) {
            results.error(CodecFailures.wrap("cannot decode the input in the worker", ex));
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
