package dev.forklift.cluster.internal;

import dev.forklift.ForkliftException;
import dev.forklift.cluster.BrokerUrl;
import dev.forklift.cluster.HostStatus;
import dev.forklift.codec.CodecException;
import dev.forklift.codec.Codecs;
import dev.forklift.pool.MapTimeoutException;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolStats;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.SubmitOverflow;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.UnfinishedTask;
import dev.forklift.pool.WorkerCrashedException;
import dev.forklift.pool.internal.AbstractPool;
import dev.forklift.pool.internal.ElementCodec;
import dev.forklift.pool.internal.ErrorCodec;
import dev.forklift.pool.internal.FailedTaskRegistry;
import dev.forklift.pool.internal.OutcomeStream;
import dev.forklift.pool.internal.PoolConfig;
import dev.forklift.pool.internal.PoolExecutorService;
import dev.forklift.pool.internal.Serialized;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.process.TaskNotSerializableException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller's side of a cluster pool: the {@link Pool} API over the broker. Tasks (chunks of encoded inputs) go to
 * the shared task queue, each with its pool, id, attempt and function id; a function goes once to the pool's
 * function queue; results come back on the pool's result queue, where this pool keeps exactly one outcome per
 * input: the first result of a task completes it and any later one (a redelivery, a host that was silent past its
 * lease) is dropped and counted in {@link PoolStats#lateResultsDiscarded()}. A task whose worker crashed or timed
 * out is sent again as its next attempt while the {@link dev.forklift.pool.RetryPolicy} allows, then fails with its
 * record in {@link #failedTasks()}. After each reconnection to the broker, every unfinished task is sent again:
 * a send the broker had not yet written to its journal when it died is never lost.
 *
 * <p>Threads: any caller thread submits (sends are serialized on one session); the collector thread reads results
 * and completes futures and iterators. Internal to the module.
 */
public final class ClusterPool extends AbstractPool {
    private final PoolConfig config;
    private final String poolId;
    private final BrokerConnection connection;
    private final ElementCodec codec;
    private final byte[] allowListBytes;
    private final Object sendLock = new Object();
    private final ClientSession sendSession;
    private final ClientProducer producer;
    private final ClientSession resultSession;
    private final ClientConsumer results;
    private static final int MAX_SUBMIT_BATCH = 256;
    /**
     * The largest automatic chunk over the broker (the local pool's is 16,384): each chunk costs two persistent
     * messages at the broker and a hand-off at a host whatever its size, so bigger chunks cut the broker's and hosts'
     * CPU per map (measured in docs/benchmarks.md, "Cluster map, second pass"); a quarter of the inputs per worker of
     * {@code workers(n)} still bounds it, so a pool told the cluster's size keeps four chunks per worker.
     */
    static final int MAX_AUTO_CHUNK_OVER_BROKER = 65_536;
    private final Object batchLock = new Object();
    /** Submits not yet sent, by function id; guarded by {@link #batchLock}. */
    private final Map<Integer, List<Submitted>> batches = new HashMap<>();
    private final Thread batcher;
    private final Map<Object, Integer> functions = new WeakHashMap<>();
    /** Guarded by {@link #functions}. */
    private int lastFunctionId;
    private final ConcurrentHashMap<Long, CallerTask> unfinished = new ConcurrentHashMap<>();
    private final AtomicLong nextTaskId = new AtomicLong(1);
    private final Semaphore submitPermits;
    private final FailedTaskRegistry failures;
    private final Thread collector;
    private final Object stateLock = new Object();
    private volatile boolean accepting = true;
    private volatile boolean stopped;
    private long retries;
    private long late;
    private long completed;
    private long crashes;
    private long timeouts;
    /** Inputs failed for good, recorded or not. */
    private long failed;

    private ClusterPool(final PoolConfig config, final BrokerConnection connection) throws ActiveMQException {
        this.config = config;
        this.connection = connection;
        this.poolId = config.name().replaceAll("[^A-Za-z0-9_-]", "_") + "-"
            + UUID.randomUUID().toString().substring(0, 8);
        this.codec = new ElementCodec(Codecs.forType(Object.class, config.allowList(), config.maxObjectDepth()));
        this.allowListBytes = javaBytes(config.allowList());
        this.submitPermits = new Semaphore(config.maxPendingSubmits());
        this.failures = new FailedTaskRegistry(config.maxFailedTasks(), config.failedTaskRetention());
        this.sendSession = connection.session();
        BrokerConnection.ensureQueue(sendSession, Protocol.TASKS);
        BrokerConnection.ensureQueue(sendSession, Protocol.functions(poolId));
        BrokerConnection.ensureQueue(sendSession, Protocol.results(poolId));
        this.producer = sendSession.createProducer();
        this.resultSession = connection.session();
        this.results = resultSession.createConsumer(Protocol.results(poolId), null, 1 << 20, -1, false);
        this.collector = new Thread(this::collectLoop, config.name() + "-cluster-collector");
        collector.setDaemon(true);
        this.batcher = new Thread(this::batchLoop, config.name() + "-cluster-batcher");
        batcher.setDaemon(true);
        connection.onReconnect(() -> {
            final Thread resend = new Thread(this::resendUnfinished, config.name() + "-cluster-resend");
            resend.setDaemon(true);
            resend.start();
        });
    }

    /**
     * Connects and starts the collector.
     *
     * @param config    the settings.
     * @param brokerUrl the broker.
     * @return the pool.
     */
    public static ClusterPool start(final PoolConfig config, final String brokerUrl) {
        if (config.initializer() != null) {
            throw new IllegalArgumentException("initializer(...) is not supported with broker(url): the workers of a"
                + " worker host are shared by every caller; run the set-up inside the function instead");
        }
        final BrokerConnection connection = new BrokerConnection(BrokerUrl.parse(brokerUrl), 30_000);
        try {
            final ClusterPool pool = new ClusterPool(config, connection);
            pool.collector.start();
            pool.batcher.start();
            return pool;
        } catch (final ActiveMQException | RuntimeException ex) {
            connection.close();
            throw ex instanceof ForkliftException ? (ForkliftException) ex
                : new ForkliftException("cannot set up the pool on the broker at " + brokerUrl + ": " + ex, ex);
        }
    }

    /** @return this pool's id on the broker (names its queues). */
    public String poolId() {
        return poolId;
    }

    // ---- submitting ------------------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    protected <R> CompletableFuture<R> submitAny(final Object fn, final Object arg) {
        checkAccepting();
        final int function = function(fn);
        final CompletableFuture<R> future = new CompletableFuture<>();
        acquireSubmitPermit();
        future.whenComplete((r, e) -> submitPermits.release());
        final byte[] body;
        try {
            body = encode(new Object[] {arg});
        } catch (final RuntimeException ex) {
            future.completeExceptionally(encodeFailed(arg, ex));
            return future;
        }
        final CallerTask.Sink sink = (index, value, error) -> {
            if (error == null) {
                future.complete((R) value);
            } else {
                future.completeExceptionally(error);
            }
        };
        if (config.taskTimeoutMs() > 0) {
            send(new CallerTask(nextTaskId.getAndIncrement(), function, body, new Object[] {arg}, sink,
                config.taskTimeoutMs()));
            return future;
        }
        List<Submitted> full = null;
        synchronized (batchLock) {
            final List<Submitted> batch = batches.computeIfAbsent(function, k -> new ArrayList<>());
            batch.add(new Submitted(arg, body, sink));
            if (batch.size() >= MAX_SUBMIT_BATCH) {
                full = batches.remove(function);
            } else if (batch.size() == 1) {
                batchLock.notifyAll();
            }
        }
        if (full != null) {
            flush(function, full);
        }
        return future;
    }

    /** A submitted input waiting to go out with the others submitted within the same millisecond. */
    private record Submitted(Object input, byte[] body, CallerTask.Sink sink) {
    }

    /**
     * The batcher thread: about every millisecond, sends the submits gathered since as one task per function
     * (a chunk whose inputs complete their own futures), so that a burst of submits costs the broker a few
     * messages rather than one per input. Retries and failures stay per input as in a chunk of {@code map}.
     */
    private void batchLoop() {
        while (!stopped) {
            try {
                synchronized (batchLock) {
                    while (batches.isEmpty() && !stopped) {
                        batchLock.wait(50);
                    }
                }
                Thread.sleep(1);
            } catch (final InterruptedException ex) {
                return;
            }
            final Map<Integer, List<Submitted>> ready;
            synchronized (batchLock) {
                ready = new HashMap<>(batches);
                batches.clear();
            }
            ready.forEach(this::flush);
        }
    }

    private boolean batchesEmpty() {
        synchronized (batchLock) {
            return batches.isEmpty();
        }
    }

    /** Sends the submits as one task: {@code [count][element...]}, each element as its own submit encoded it. */
    private void flush(final int function, final List<Submitted> batch) {
        final Bytes body = new Bytes(64 + batch.size() * 16);
        body.put(b -> b.putInt(batch.size()));
        final Object[] inputs = new Object[batch.size()];
        final CallerTask.Sink[] sinks = new CallerTask.Sink[batch.size()];
        for (int i = 0; i < inputs.length; i++) {
            final Submitted one = batch.get(i);
            inputs[i] = one.input();
            sinks[i] = one.sink();
            body.put(b -> b.put(one.body(), Integer.BYTES, one.body().length - Integer.BYTES));
        }
        final byte[] packed = PackedValues.pack(inputs);
        send(new CallerTask(nextTaskId.getAndIncrement(), function, packed != null ? packed : body.toArray(), inputs,
            (index, value, error) -> sinks[index].deliver(0, value, error), config.taskTimeoutMs()));
    }

    private void acquireSubmitPermit() {
        if (submitPermits.tryAcquire()) {
            return;
        }
        if (config.submitOverflow() == SubmitOverflow.REJECT) {
            throw new RejectedExecutionException("pool '" + config.name() + "' already holds "
                + config.maxPendingSubmits() + " submitted tasks not yet finished (maxPendingSubmits="
                + config.maxPendingSubmits() + ", overflow REJECT)");
        }
        try {
            while (!submitPermits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                checkAccepting();
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room under maxPendingSubmits", ex);
        }
    }

    /** Encodes and sends a chunk; inputs that cannot be encoded fail at once, the others go as one task. */
    void submitChunk(final Object fn, final Object[] inputs, final CallerTask.Sink sink) {
        final int function = function(fn);
        final byte[] packed = PackedValues.pack(inputs);
        if (packed != null) {
            send(new CallerTask(nextTaskId.getAndIncrement(), function, packed, inputs, sink,
                config.taskTimeoutMs()));
            return;
        }
        final List<Object> kept = new ArrayList<>(inputs.length);
        final List<Integer> positions = new ArrayList<>(inputs.length);
        final Bytes out = new Bytes(64 + inputs.length * 8);
        out.put(b -> b.putInt(0));
        for (int i = 0; i < inputs.length; i++) {
            final Object input = inputs[i];
            try {
                out.element(codec, input);
                kept.add(input);
                positions.add(i);
            } catch (final RuntimeException ex) {
                sink.deliver(i, null, encodeFailed(input, ex));
            }
        }
        if (kept.isEmpty()) {
            return;
        }
        final byte[] body = out.toArray();
        ByteBuffer.wrap(body).putInt(0, kept.size());
        final CallerTask.Sink mapped = kept.size() == inputs.length ? sink
            : (index, value, error) -> sink.deliver(positions.get(index), value, error);
        send(new CallerTask(nextTaskId.getAndIncrement(), function, body, kept.toArray(), mapped,
            config.taskTimeoutMs()));
    }

    private byte[] encode(final Object[] inputs) {
        final Bytes out = new Bytes(64);
        out.put(b -> b.putInt(inputs.length));
        for (final Object input : inputs) {
            out.element(codec, input);
        }
        return out.toArray();
    }

    /** Registers the task as unfinished (attempt 1) and sends it. */
    private void send(final CallerTask task) {
        synchronized (stateLock) {
            task.attempt = 1;
            task.firstAttemptMs = System.currentTimeMillis();
            task.lastAttemptMs = task.firstAttemptMs;
            unfinished.put(task.id, task);
        }
        sendMessage(task);
    }

    /** Sends the task's message as its current attempt; retries while the broker is away, until stopped. */
    private void sendMessage(final CallerTask task) {
        while (!stopped) {
            try {
                synchronized (sendLock) {
                    final ClientMessage message = sendSession.createMessage(true);
                    message.putStringProperty(Protocol.POOL, poolId);
                    message.putLongProperty(Protocol.TASK, task.id);
                    message.putIntProperty(Protocol.ATTEMPT, task.attempt);
                    message.putIntProperty(Protocol.FUNCTION, task.functionId);
                    message.putLongProperty(Protocol.TIMEOUT_MS, task.timeoutMs);
                    MessageBodies.write(message, task.body);
                    producer.send(Protocol.TASKS, message);
                }
                return;
            } catch (final ActiveMQException ex) {
                pause(200);
            }
        }
    }

    private void resendUnfinished() {
        for (final CallerTask task : new ArrayList<>(unfinished.values())) {
            if (stopped) {
                return;
            }
            sendMessage(task);
        }
    }

    private int function(final Object fn) {
        if (fn == null) {
            throw new IllegalArgumentException("function must not be null");
        }
        synchronized (functions) {
            final Integer known = functions.get(fn);
            if (known != null) {
                return known;
            }
            final byte[] bytes;
            try {
                bytes = javaBytes(fn);
            } catch (final RuntimeException | StackOverflowError | LinkageError ex) {
                throw new TaskNotSerializableException("function " + fn.getClass().getName()
                    + " cannot be serialized (a lambda must be cast to SerializableFunction and capture only"
                    + " serializable values): " + ex, ex);
            }
            // never reused, also after a function was collected: hosts cache functions by id for the pool's life
            final int id = ++lastFunctionId;
            final Bytes body = new Bytes(bytes.length + allowListBytes.length + 8);
            body.put(b -> b.putInt(config.maxObjectDepth()).putInt(allowListBytes.length).put(allowListBytes)
                .put(bytes));
            while (!stopped) {
                try {
                    synchronized (sendLock) {
                        final ClientMessage message = sendSession.createMessage(true);
                        message.putIntProperty(Protocol.FUNCTION, id);
                        message.getBodyBuffer().writeBytes(body.toArray());
                        producer.send(Protocol.functions(poolId), message);
                    }
                    break;
                } catch (final ActiveMQException ex) {
                    pause(200);
                }
            }
            functions.put(fn, id);
            return id;
        }
    }

    private static byte[] javaBytes(final Object value) {
        try {
            return Serialized.toBytes(value);
        } catch (final IOException ex) {
            throw new TaskNotSerializableException(value.getClass().getName() + " cannot be serialized: " + ex, ex);
        }
    }

    // ---- collecting ------------------------------------------------------------------------------------------

    private void collectLoop() {
        while (!stopped) {
            final ClientMessage message;
            try {
                message = results.receive(100);
            } catch (final ActiveMQException ex) {
                pause(100);
                continue;
            }
            if (message == null) {
                continue;
            }
            try {
                handle(message);
            } catch (final RuntimeException ex) {
                // an unreadable result: its task stays unfinished and is sent again after a reconnection
            }
            try {
                message.acknowledge();
            } catch (final ActiveMQException ex) {
                // redelivered later and then dropped as a duplicate
            }
        }
    }

    private void handle(final ClientMessage message) {
        final long taskId = message.getLongProperty(Protocol.TASK);
        final int attempt = message.getIntProperty(Protocol.ATTEMPT);
        final int kind = message.getIntProperty(Protocol.KIND);
        final String host = message.getStringProperty(Protocol.HOST);
        final long pid = message.getLongProperty(Protocol.WORKER_PID);
        final String worker = host + "/worker-" + pid;
        final List<Runnable> deliveries = new ArrayList<>();
        synchronized (stateLock) {
            final CallerTask task = unfinished.get(taskId);
            if (task == null || (kind != Protocol.KIND_OUTCOMES && attempt != task.attempt)) {
                late++;
                return;
            }
            if (kind == Protocol.KIND_OUTCOMES) {
                final ByteBuffer body = MessageBodies.read(message);
                unfinished.remove(taskId);
                completed++;
                outcomes(task, body, worker, pid, deliveries);
            } else {
                chunkFailed(task, kind, message, worker, pid, deliveries);
            }
        }
        deliveries.forEach(Runnable::run);
    }

    /** Lock held: decodes each input's outcome; a retried exception re-sends its input alone. */
    private void outcomes(final CallerTask task, final ByteBuffer in, final String worker, final long pid,
        final List<Runnable> deliveries) {
        in.getLong();
        final byte status = in.get();
        if (status == ShippedFunction.STATUS_PACKED) {
            Object[] values = null;
            int[] ints = null;
            RuntimeException bad = null;
            try {
                final int first = in.getInt();
                if (-first != task.inputs.length) {
                    throw new IllegalArgumentException(-first + " results for " + task.inputs.length + " inputs");
                }
                // int results stay packed: a map boxes each only when it is read
                ints = PackedValues.unpackInts(-first, in);
                if (ints == null) {
                    values = PackedValues.unpack(-first, in);
                }
            } catch (final RuntimeException ex) {
                bad = ex;
            }
            if (bad == null && ints != null) {
                final int[] results = ints;
                deliveries.add(() -> task.sink.deliverInts(results));
                return;
            }
            if (bad == null) {
                final Object[] results = values;
                deliveries.add(() -> task.sink.deliverAll(results));
                return;
            }
            for (int i = 0; i < task.inputs.length; i++) {
                final int index = i;
                final Throwable error = new CodecException("cannot decode the result of input "
                    + task.inputs[index] + " from " + worker + ": " + bad, bad);
                recordFailure(task, index, error, worker, pid, OptionalInt.empty(), OptionalInt.empty());
                deliveries.add(() -> task.sink.deliver(index, null, error));
            }
            return;
        }
        for (int i = 0; i < task.inputs.length; i++) {
            final int index = i;
            final byte outcome = in.get();
            if (outcome == 0) {
                Object value;
                try {
                    value = codec.read(in);
                } catch (final RuntimeException ex) {
                    final Throwable error = new CodecException("cannot decode the result of input "
                        + task.inputs[index] + " from " + worker + ": " + ex, ex);
                    recordFailure(task, index, error, worker, pid, OptionalInt.empty(), OptionalInt.empty());
                    deliveries.add(() -> task.sink.deliver(index, null, error));
                    continue;
                }
                deliveries.add(() -> task.sink.deliver(index, value, null));
                continue;
            }
            final byte[] errorBytes = new byte[in.getInt()];
            in.get(errorBytes);
            final RemoteTaskException error = ErrorCodec.decode(errorBytes, worker, pid);
            if (task.attempt < config.retryPolicy().maxAttempts() && config.retryPolicy().retriesException(error)) {
                retries++;
                final CallerTask again = new CallerTask(nextTaskId.getAndIncrement(), task.functionId,
                    encode(new Object[] {task.inputs[index]}), new Object[] {task.inputs[index]},
                    CallerTask.offset(task.sink, index), task.timeoutMs);
                again.attempt = task.attempt + 1;
                again.firstAttemptMs = task.firstAttemptMs;
                again.lastAttemptMs = System.currentTimeMillis();
                unfinished.put(again.id, again);
                deliveries.add(() -> sendMessage(again));
                continue;
            }
            recordFailure(task, index, error, worker, pid, OptionalInt.empty(), OptionalInt.empty());
            deliveries.add(() -> task.sink.deliver(index, null, error));
        }
    }

    /** Lock held: counts an input failed for good and keeps its record. */
    private void recordFailure(final CallerTask task, final int index, final Throwable error, final String worker,
        final long pid, final OptionalInt exitCode, final OptionalInt signal) {
        failed++;
        if (failures.enabled()) {
            failures.add(FailedTaskRegistry.record(task.id, task.inputs[index], task.attempt, error, worker, pid,
                exitCode, signal, task.firstAttemptMs, task.lastAttemptMs));
        }
    }

    /** Lock held: a whole task failed on a host; retried as its next attempt while allowed. */
    private void chunkFailed(final CallerTask task, final int kind, final ClientMessage message, final String worker,
        final long pid, final List<Runnable> deliveries) {
        final String text = message.getStringProperty(Protocol.ERROR);
        final boolean crash = kind == Protocol.KIND_CRASH;
        final boolean timeout = kind == Protocol.KIND_TIMEOUT;
        if (crash) {
            crashes++;
        } else if (timeout) {
            timeouts++;
        }
        final boolean retry = task.attempt < config.retryPolicy().maxAttempts()
            && (crash && config.retryPolicy().retriesCrashes() || timeout && config.retryPolicy().retriesTimeouts());
        if (retry) {
            retries++;
            task.attempt++;
            task.lastAttemptMs = System.currentTimeMillis();
            deliveries.add(() -> sendMessage(task));
            return;
        }
        unfinished.remove(task.id);
        completed++;
        final OptionalInt exit = message.containsProperty(Protocol.EXIT_CODE)
            ? OptionalInt.of(message.getIntProperty(Protocol.EXIT_CODE)) : OptionalInt.empty();
        final OptionalInt signal = message.containsProperty(Protocol.SIGNAL)
            && message.getIntProperty(Protocol.SIGNAL) > 0
            ? OptionalInt.of(message.getIntProperty(Protocol.SIGNAL)) : OptionalInt.empty();
        for (int i = 0; i < task.inputs.length; i++) {
            final int index = i;
            final Object input = task.inputs[i];
            final Throwable error = crash
                ? new WorkerCrashedException(worker, pid, exit.orElse(-1), signal.orElse(-1), task.attempt, input,
                    new ForkliftException(text))
                : timeout ? new TaskTimeoutException(worker, pid, task.timeoutMs, task.attempt, input)
                : new ForkliftException(text + " (task " + task.id + ", input " + input + ")");
            recordFailure(task, index, error, worker, pid, crash ? exit : OptionalInt.empty(), signal);
            deliveries.add(() -> task.sink.deliver(index, null, error));
        }
    }

    // ---- map and iterators -----------------------------------------------------------------------------------

    /** As the local pool's, but one input per task when tasks have a timeout (a timeout is per task). */
    @Override
    protected OutcomeStream stream(final Object fn, final Iterator<?> inputs, final boolean ordered, final long size) {
        checkAccepting();
        final int chunk = config.taskTimeoutMs() > 0 ? 1 : chunkOverBroker(config, size);
        function(fn);
        return new OutcomeStream((chunkInputs, sink) -> {
            checkAccepting();
            submitChunk(fn, chunkInputs, new CallerTask.Sink() {
                @Override
                public void deliver(final int index, final Object value, final Throwable error) {
                    sink.deliver(index, value, error);
                    sink.flush();
                }

                @Override
                public void deliverAll(final Object[] values) {
                    sink.deliverAll(0, values, null);
                }

                @Override
                public void deliverInts(final int[] values) {
                    sink.deliverInts(values);
                }
            });
        }, inputs, ordered, chunk, window(config, chunk));
    }

    /**
     * @param config the pool's settings.
     * @param size   the number of inputs when known, else -1.
     * @return the inputs per chunk: the configured size, else a quarter of the inputs per worker, at most
     *     {@link #MAX_AUTO_CHUNK_OVER_BROKER}, else 1 (as the local pool when the size is unknown).
     */
    static int chunkOverBroker(final PoolConfig config, final long size) {
        if (config.chunkSize() > 0 || size < 0) {
            return chunkSize(config, size);
        }
        final long perWorkerQuarter = (size + 4L * config.workers() - 1) / (4L * config.workers());
        return (int) Math.max(1, Math.min(MAX_AUTO_CHUNK_OVER_BROKER, perWorkerQuarter));
    }

    /**
     * As the local pool's: the results in input order, or {@link MapTimeoutException} once the timeout passes (the
     * inputs already sent run to their end on the hosts; their results are dropped).
     */
    @Override
    public <T, R> List<R> map(final SerializableFunction<T, R> fn, final Iterable<? extends T> inputs,
        final Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("map timeout must be positive: timeout=" + timeout);
        }
        final Iterator<R> results = imap(fn, requireInputs(inputs).iterator());
        final CompletableFuture<List<R>> all = new CompletableFuture<>();
        final List<R> done = java.util.Collections.synchronizedList(new ArrayList<>());
        final Thread reader = new Thread(() -> {
            try {
                while (results.hasNext()) {
                    done.add(results.next());
                }
                all.complete(new ArrayList<>(done));
            } catch (final RuntimeException | Error ex) {
                all.completeExceptionally(ex);
            }
        }, config.name() + "-map-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (final java.util.concurrent.TimeoutException ex) {
            throw new MapTimeoutException(timeout.toMillis(), done.size());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the results of a map");
        } catch (final java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException) {
                throw (RuntimeException) ex.getCause();
            }
            throw new ForkliftException("map failed: " + ex.getCause(), ex.getCause());
        }
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        accepting = false;
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final Thread closer = new Thread(() -> {
            try {
                close();
                closed.complete(null);
            } catch (final RuntimeException | Error ex) {
                closed.completeExceptionally(ex);
            }
        }, config.name() + "-closer");
        closer.setDaemon(true);
        closer.start();
        return closed;
    }

    @Override
    public void terminate() {
        shutdownNow(Duration.ofSeconds(5));
    }

    @Override
    public java.util.concurrent.ExecutorService asExecutorService() {
        return new PoolExecutorService(this, () -> accepting && !stopped, () -> stopped);
    }

    // ---- queries and lifecycle -------------------------------------------------------------------------------

    void checkAccepting() {
        if (!accepting) {
            throw new RejectedExecutionException("pool '" + config.name() + "' is closed");
        }
    }

    @Override
    public int workers() {
        return config.workers();
    }

    @Override
    public List<Long> workerPids() {
        final List<Long> pids = new ArrayList<>();
        synchronized (sendLock) {
            for (final HostStatus host : HostStatus.browse(sendSession)) {
                pids.addAll(host.workerPids());
            }
        }
        return pids;
    }

    @Override
    public PoolStats stats() {
        int live = 0;
        synchronized (sendLock) {
            for (final HostStatus host : HostStatus.browse(sendSession)) {
                live += host.workers();
            }
        }
        synchronized (stateLock) {
            return new PoolStats(live, 0, crashes, timeouts, retries, late, completed, 0, unfinished.size(), 0, 0, 0,
                failed);
        }
    }

    @Override
    public List<FailedTask> failedTasks() {
        return failures.snapshot();
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        accepting = false;
        final long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        while ((!unfinished.isEmpty() || !batchesEmpty()) && System.nanoTime() < deadline && !stopped) {
            pause(10);
        }
        if (!unfinished.isEmpty() || !batchesEmpty()) {
            shutdownNow(Duration.ofSeconds(5));
            return;
        }
        stop();
    }

    @Override
    public List<UnfinishedTask> shutdownNow(final Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        accepting = false;
        final List<UnfinishedTask> left = new ArrayList<>();
        final List<Runnable> deliveries = new ArrayList<>();
        synchronized (stateLock) {
            if (stopped) {
                return left;
            }
            final CancellationException cancelled = new CancellationException("pool '" + config.name()
                + "' was shut down before this input finished");
            for (final CallerTask task : unfinished.values()) {
                for (int i = 0; i < task.inputs.length; i++) {
                    final int index = i;
                    left.add(new UnfinishedTask(task.id, task.inputs[i]));
                    deliveries.add(() -> task.sink.deliver(index, null, cancelled));
                }
            }
            unfinished.clear();
            synchronized (batchLock) {
                for (final List<Submitted> batch : batches.values()) {
                    for (final Submitted one : batch) {
                        left.add(new UnfinishedTask(-1, one.input()));
                        deliveries.add(() -> one.sink().deliver(0, null, cancelled));
                    }
                }
                batches.clear();
            }
        }
        stop();
        deliveries.forEach(Runnable::run);
        return left;
    }

    private void stop() {
        synchronized (stateLock) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        synchronized (batchLock) {
            batchLock.notifyAll();
        }
        try {
            batcher.join(2_000);
            collector.join(2_000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        synchronized (sendLock) {
            try {
                sendSession.deleteQueue(SimpleString.of(Protocol.functions(poolId)));
            } catch (final ActiveMQException ignored) {
                // the broker is gone: nothing to clean
            }
        }
        try {
            results.close();
            resultSession.deleteQueue(SimpleString.of(Protocol.results(poolId)));
            resultSession.close();
            sendSession.close();
        } catch (final ActiveMQException ignored) {
            // the broker is gone: nothing to clean
        }
        connection.close();
    }

    private static CodecException encodeFailed(final Object input, final RuntimeException ex) {
        return ex instanceof CodecException ? (CodecException) ex
            : new CodecException("cannot encode the input of type " + (input == null ? "null"
                : input.getClass().getName()) + ": " + ex, ex);
    }

    private static void pause(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
