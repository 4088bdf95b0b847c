package dev.forklift.pool.internal;

import dev.forklift.codec.CodecException;
import dev.forklift.codec.Codecs;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.SubmitOverflow;
import dev.forklift.pool.UnfinishedTask;
import dev.forklift.process.TaskNotSerializableException;
import dev.forklift.process.internal.StartupTrace;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The pool's public face: turns calls into tasks for the {@link Master} and iterators over their outcomes.
 * Internal; not API.
 */
public final class PoolImpl extends AbstractPool {
    private final PoolConfig config;
    private final Master master;
    private final ElementCodec codec;
    private final Map<Object, FunctionRef> functions = new WeakHashMap<>();
    private final ThreadLocal<GrowableBuffer> buffers;
    private int nextFunctionId;
    private final Semaphore submitPermits;
    private CompletableFuture<Void> closing;
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);

    private PoolImpl(final PoolConfig config, final Master master, final ElementCodec codec) {
        this.config = config;
        this.master = master;
        this.codec = codec;
        final int limit = config.maxMessageBytes() - 1024;
        this.buffers = ThreadLocal.withInitial(() -> new GrowableBuffer(4096, limit));
        this.submitPermits = new Semaphore(config.maxPendingSubmits());
    }

    /**
     * Starts the workers and the master's threads.
     *
     * @param config    the settings.
     * @param transport how to reach workers; closed when the pool closes, or here if the start fails.
     * @return the running pool.
     */
    public static Pool start(final PoolConfig config, final WorkerTransport transport) {
        final ElementCodec codec = new ElementCodec(Codecs.forType(Object.class, config.allowList(),
            config.maxObjectDepth()));
        final byte[] initializer;
        try {
            initializer = config.initializer() == null ? null : Serialized.toBytes(config.initializer());
        } catch (final IOException ex) {
            transport.close();
            throw new TaskNotSerializableException("the initializer cannot be serialized: " + ex, ex);
        }
        return new PoolImpl(config, Master.start(config, transport, codec, initializer), codec);
    }

    @Override
    public <T, R> List<R> map(final SerializableFunction<T, R> fn, final Iterable<? extends T> inputs,
        final Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("map timeout must be positive: timeout=" + timeout);
        }
        final long size = sizeOf(requireInputs(inputs));
        final OutcomeStream stream = stream(fn, inputs.iterator(), true, size);
        stream.deadline(System.nanoTime() + timeout.toNanos(), timeout.toMillis());
        return collect(stream, size);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        master.stopAccepting();
        synchronized (this) {
            if (closing == null) {
                closing = new CompletableFuture<>();
                final Thread closer = new Thread(() -> {
                    try {
                        master.close();
                        closing.complete(null);
                    } catch (final RuntimeException | Error ex) {
                        closing.completeExceptionally(ex);
                    }
                }, config.name() + "-closer");
                closer.setDaemon(true);
                closer.start();
            }
            return closing;
        }
    }

    @Override
    public void terminate() {
        master.shutdownNow(TERMINATE_GRACE);
    }

    @Override
    public java.util.concurrent.ExecutorService asExecutorService() {
        return new PoolExecutorService(this, this::isAccepting, this::isStopped);
    }

    /** @return true while the pool accepts tasks. */
    boolean isAccepting() {
        return master.isAccepting();
    }

    /** @return true once the pool stopped (closed or shut down). */
    boolean isStopped() {
        return master.isStopped();
    }

    @Override
    protected <R> CompletableFuture<R> submitAny(final Object fn, final Object arg) {
        master.checkAccepting();
        final FunctionRef function = function(fn);
        StartupTrace.stamp("pool submit: function encoded");
        final long jobId = master.nextJobId();
        final CompletableFuture<R> future = new PoolFuture<>(master, jobId);
        if (acquireSubmitPermit()) {
            future.whenComplete((r, e) -> submitPermits.release());
        }
        final GrowableBuffer buffer = buffers.get();
        buffer.clear();
        try {
            if (!buffer.writeElement(codec, arg)) {
                future.completeExceptionally(tooLarge());
                return future;
            }
        } catch (final RuntimeException ex) {
            future.completeExceptionally(encodeFailed(arg, ex));
            return future;
        }
        master.enqueue(new Job(jobId, function, buffer.toBytes(), 1, new Object[] {arg}, new FutureSink<>(future)));
        return future;
    }

    /** Waits for (or refuses) room under the limit of pending submitted tasks. */
    private boolean acquireSubmitPermit() {
        if (submitPermits.tryAcquire()) {
            return true;
        }
        if (config.submitOverflow() == SubmitOverflow.REJECT) {
            throw new RejectedExecutionException("pool '" + config.name() + "' already holds "
                + config.maxPendingSubmits() + " submitted tasks not yet finished (maxPendingSubmits="
                + config.maxPendingSubmits() + ", overflow REJECT)");
        }
        if (master.isPoolThread()) {
            return false; // never block the collector on its own completions: admit over the limit
        }
        try {
            while (!submitPermits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                master.checkAccepting();
            }
            return true;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room under maxPendingSubmits="
                + config.maxPendingSubmits(), ex);
        }
    }

    @Override
    public int workers() {
        return config.workers();
    }

    @Override
    public List<Long> workerPids() {
        return master.workerPids();
    }

    @Override
    public PoolStats stats() {
        return master.stats();
    }

    @Override
    public List<FailedTask> failedTasks() {
        return master.failedTasks();
    }

    @Override
    public void close() {
        master.close();
    }

    @Override
    public List<UnfinishedTask> shutdownNow(final Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        return master.shutdownNow(timeout);
    }

    // ---------------------------------------------------------------------------------------------------------

    @Override
    protected OutcomeStream stream(final Object fn, final Iterator<?> inputs, final boolean ordered, final long size) {
        master.checkAccepting();
        final int chunk = chunkSize(config, size);
        final FunctionRef function = function(fn);
        return new OutcomeStream((chunkInputs, sink) -> submitChunk(function, chunkInputs, sink), inputs, ordered,
            chunk, window(config, chunk));
    }

    /**
     * Encodes a chunk of inputs and hands it to the master; inputs that cannot be encoded fail at once. A chunk
     * too large for one message is cut in two where it overflows.
     */
    void submitChunk(final FunctionRef function, final Object[] inputs, final JobSink sink) {
        final GrowableBuffer buffer = buffers.get();
        buffer.clear();
        int sent = 0;
        for (int i = 0; i < inputs.length; i++) {
            Throwable error = null;
            try {
                if (buffer.writeElement(codec, inputs[i])) {
                    sent++;
                    continue;
                }
                if (i > 0) {
                    final int cut = i;
                    final byte[] head = buffer.toBytes();
                    final Object[] rest = java.util.Arrays.copyOfRange(inputs, cut, inputs.length);
                    if (sent > 0) {
                        master.enqueue(new Job(master.nextJobId(), function, head, cut,
                            java.util.Arrays.copyOf(inputs, cut), sink));
                    }
                    submitChunk(function, rest, new OffsetSink(sink, cut));
                    return;
                }
                error = tooLarge();
            } catch (final RuntimeException ex) {
                error = encodeFailed(inputs[i], ex);
            }
            buffer.ensure(4);
            ElementCodec.writeSkip(buffer.buffer());
            sink.deliver(i, null, error);
        }
        sink.flush();
        if (sent > 0) {
            master.enqueue(new Job(master.nextJobId(), function, buffer.toBytes(), inputs.length, inputs, sink));
        }
    }

    int maxChunkBytes() {
        return config.maxMessageBytes() - 1024;
    }

    private FunctionRef function(final Object fn) {
        if (fn == null) {
            throw new IllegalArgumentException("function must not be null");
        }
        synchronized (functions) {
            final FunctionRef known = functions.get(fn);
            if (known != null) {
                return known;
            }
            final byte[] bytes;
            try {
                bytes = Serialized.toBytes(fn);
            } catch (final IOException | RuntimeException | StackOverflowError | LinkageError ex) {
                throw new TaskNotSerializableException("function " + fn.getClass().getName()
                    + " cannot be serialized (a lambda must be cast to SerializableFunction and capture only"
                    + " serializable values, not nested too deeply): " + ex, ex);
            }
            if (bytes.length > config.maxMessageBytes() / 2) {
                throw new IllegalArgumentException("function " + fn.getClass().getName() + " serializes to "
                    + bytes.length + " bytes, more than half of maxMessageBytes=" + config.maxMessageBytes());
            }
            final FunctionRef ref = new FunctionRef(nextFunctionId++, bytes);
            functions.put(fn, ref);
            return ref;
        }
    }

    private CodecException tooLarge() {
        return new CodecException("the input does not fit in a message of " + maxChunkBytes()
            + " bytes (raise maxMessageBytes)");
    }

    private static CodecException encodeFailed(final Object input, final RuntimeException ex) {
        return ex instanceof CodecException ? (CodecException) ex
            : new CodecException("cannot encode the input of type " + input.getClass().getName() + ": " + ex, ex);
    }

    /** Delivers into another sink at an offset. */
    private static final class OffsetSink implements JobSink {
        private final JobSink sink;
        private final int offset;

        OffsetSink(final JobSink sink, final int offset) {
            this.sink = sink;
            this.offset = offset;
        }

        @Override
        public void deliver(final int index, final Object value, final Throwable error) {
            sink.deliver(offset + index, value, error);
        }

        @Override
        public void flush() {
            sink.flush();
        }
    }

    /** Completes a future with a single-input task's outcome. */
    private static final class FutureSink<R> implements JobSink {
        private final CompletableFuture<R> future;

        FutureSink(final CompletableFuture<R> future) {
            this.future = future;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void deliver(final int index, final Object value, final Throwable error) {
            if (error == null) {
                future.complete((R) value);
            } else {
                future.completeExceptionally(error);
            }
        }
    }


    /**
     * The future of a submitted task: {@code cancel(true)} stops the task where it runs (its worker is killed and
     * replaced), {@code cancel(false)} only keeps it from starting. Dependent futures are plain.
     */
    static final class PoolFuture<R> extends CompletableFuture<R> {
        private final Master master;
        private final long jobId;

        PoolFuture(final Master master, final long jobId) {
            this.master = master;
            this.jobId = jobId;
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning) {
            final boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                master.cancel(jobId, mayInterruptIfRunning);
            }
            return cancelled;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
