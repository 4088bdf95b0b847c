package dev.forklift.cluster;

import dev.forklift.ForkliftException;
import dev.forklift.cluster.internal.BrokerConnection;
import dev.forklift.cluster.internal.MessageBodies;
import dev.forklift.cluster.internal.Protocol;
import dev.forklift.cluster.internal.ShippedFunction;
import dev.forklift.pool.Pool;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.pool.WorkerCrashedException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A worker host: keeps N local worker JVMs (a local {@link Pool}, with its timeouts, heartbeats, recycling and
 * memory limits) busy with tasks pulled from the broker ({@code forklift worker}). A task message is acknowledged
 * only after its result was sent, so a host that dies, or is silent for longer than its lease, hands its tasks
 * back to the broker, which gives them to another host (at least once). Results go to the task's pool's result
 * queue, tagged with task id and attempt, where the caller drops duplicates.
 *
 * <p>One thread ({@link #run}) does all broker work (sessions are single-threaded); local completions reach it
 * through a queue. {@link #close()} may be called from any thread; it stops pulling, lets the held tasks finish
 * (up to a grace), then closes the local pools and the connection.
 */
public final class WorkerHost implements AutoCloseable {
    /** Default lease: how long the broker waits for a silent host before giving its tasks to others. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    private static final long STATUS_EVERY_MS = 1_000;
    private static final long STATUS_EXPIRES_MS = 5_000;

    private final String name;
    private final int workers;
    private final String classpath;
    private final BrokerConnection connection;
    private final Map<Long, Pool> localPools = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<Integer, ShippedFunction>> functions = new HashMap<>();
    private final LinkedBlockingQueue<Done> completions = new LinkedBlockingQueue<>();
    private final int maxHeld;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private long done;
    private int held;

    /** A local task that ended: its message, result body or error. */
    private record Done(ClientMessage message, String pool, long task, int attempt, byte[] body, Throwable error,
                        long timeoutMs) {
    }

    /**
     * Connects to the broker; the workers start with the first task.
     *
     * @param brokerUrl the broker.
     * @param workers   local worker JVMs, at least 1.
     * @param classpath extra class path for the workers (the callers' classes), or null.
     * @param name      the host's name in results, errors and {@code forklift ps}.
     * @param lease     how long the broker keeps this host's tasks while it is silent.
     */
    public WorkerHost(final String brokerUrl, final int workers, final String classpath, final String name,
        final Duration lease) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: workers=" + workers);
        }
        this.name = name;
        this.workers = workers;
        this.classpath = classpath;
        this.maxHeld = Math.max(4, 4 * workers);
        this.connection = new BrokerConnection(BrokerUrl.parse(brokerUrl), lease.toMillis());
        try {
            localPool(0);
        } catch (final RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    /** @return the host's name. */
    public String name() {
        return name;
    }

    /**
     * Pulls and runs tasks until {@link #close()}; returns then.
     *
     * @throws ForkliftException if the broker refuses this host.
     */
    public void run() {
        run(() -> { });
    }

    /**
     * As {@link #run()}, calling {@code whenConsuming} once this host's consumer of the task queue exists: from then
     * on the broker hands it a share of the tasks sent. A host announced as ready before that point could miss every
     * task of a map sent at once, all of them prefetched by hosts that were already consuming.
     *
     * @param whenConsuming called on this thread, once, when the host starts pulling tasks.
     * @throws ForkliftException if the broker refuses this host.
     */
    public void run(final Runnable whenConsuming) {
        final ClientSession session = connection.session();
        try {
            BrokerConnection.ensureQueue(session, Protocol.TASKS);
            BrokerConnection.ensureHostsQueue(session);
            // A small prefetch (64 KiB of messages) saves a round trip per small task; held tasks stay bounded by
            // maxHeld, and a host that dies hands its prefetched tasks back with the rest.
            final ClientConsumer consumer = session.createConsumer(Protocol.TASKS, null, 64 << 10, -1, false);
            final ClientProducer producer = session.createProducer();
            whenConsuming.run();
            long nextStatus = 0;
            while (!stopping || held > 0) {
                try {
                    if (System.currentTimeMillis() >= nextStatus) {
                        sendStatus(session, producer);
                        nextStatus = System.currentTimeMillis() + STATUS_EVERY_MS;
                    }
                    Done finished = held >= maxHeld || stopping ? completions.poll(50, TimeUnit.MILLISECONDS)
                        : completions.poll();
                    final int ready = completions.size() + (finished == null ? 0 : 1);
                    for (int i = 0; i < ready && finished != null; i++) {
                        finish(session, producer, finished);
                        finished = i + 1 < ready ? completions.poll() : null;
                    }
                    if (held < maxHeld && !stopping) {
                        final ClientMessage message = consumer.receive(held == 0 ? 200 : 2);
                        if (message != null) {
                            start(session, producer, message);
                        }
                    }
                } catch (final ActiveMQException | RuntimeException ex) {
                    // The connection was lost and is being restored: unacknowledged tasks go back to the broker,
                    // which hands them out again; a result that could not be sent is sent again on a later turn.
                    System.err.println("worker host '" + name + "': " + ex.getMessage() + "; going on");
                    Thread.sleep(200);
                }
            }
            consumer.close();
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (final ActiveMQException ex) {
            if (!stopping) {
                throw new ForkliftException("worker host '" + name + "' lost the broker: " + ex, ex);
            }
        } finally {
            try {
                session.close();
            } catch (final ActiveMQException ignored) {
                // closing anyway
            }
            stopped = true;
        }
    }

    private void start(final ClientSession session, final ClientProducer producer, final ClientMessage message)
        throws ActiveMQException {
        final String pool = message.getStringProperty(Protocol.POOL);
        final long task = message.getLongProperty(Protocol.TASK);
        final int attempt = message.getIntProperty(Protocol.ATTEMPT);
        final int functionId = message.getIntProperty(Protocol.FUNCTION);
        final long timeoutMs = message.getLongProperty(Protocol.TIMEOUT_MS);
        if (message.getDeliveryCount() > Protocol.MAX_DELIVERIES) {
            reply(producer, session, pool, task, attempt, Protocol.KIND_GAVE_UP, 0, "task " + task + " was delivered "
                + message.getDeliveryCount() + " times to worker hosts that died or went silent before finishing it;"
                + " given up on by '" + name + "'", null);
            message.individualAcknowledge();
            return;
        }
        final ShippedFunction function = function(session, pool, functionId);
        if (function == null) {
            message.individualAcknowledge(); // its pool is closed: nobody waits for the result
            return;
        }
        final byte[] body = new byte[message.getBodySize()];
        message.getBodyBuffer().readBytes(body);
        held++;
        localPool(timeoutMs).submit(function, body).whenComplete((result, error) ->
            completions.add(new Done(message, pool, task, attempt, result, error, timeoutMs)));
    }

    /**
     * Sends a finished task's result, then acknowledges the task. If the send fails (the connection is being
     * restored), the result is kept and sent again on a later turn of the loop: a host that was stopped past its
     * lease still reports what it finished, and the caller drops it as late.
     */
    private void finish(final ClientSession session, final ClientProducer producer, final Done finished)
        throws ActiveMQException {
        try {
            sendResult(session, producer, finished);
        } catch (final ActiveMQException | RuntimeException ex) {
            completions.add(finished);
            throw ex;
        }
        held--;
        done++;
        try {
            finished.message.individualAcknowledge();
        } catch (final ActiveMQException | RuntimeException ex) {
            // the session was lost meanwhile: the broker redelivers the task and the caller drops the duplicate
        }
    }

    private void sendResult(final ClientSession session, final ClientProducer producer, final Done finished)
        throws ActiveMQException {
        final Throwable error = finished.error instanceof CompletionException && finished.error.getCause() != null
            ? finished.error.getCause() : finished.error;
        if (error == null) {
            final ByteBuffer body = ByteBuffer.wrap(finished.body);
            final long pid = body.getLong();
            final byte status = body.get();
            if (status == ShippedFunction.STATUS_MISSING_CLASS) {
                final String text = new String(finished.body, body.position(), body.remaining(),
                    StandardCharsets.UTF_8);
                reply(producer, session, finished.pool, finished.task, finished.attempt, Protocol.KIND_MISSING_CLASS,
                    pid, text, null);
            } else {
                reply(producer, session, finished.pool, finished.task, finished.attempt, Protocol.KIND_OUTCOMES, pid,
                    null, finished.body);
            }
        } else if (error instanceof WorkerCrashedException) {
            final WorkerCrashedException crash = (WorkerCrashedException) error;
            final ClientMessage reply = reply(producer, session, finished.pool, finished.task, finished.attempt,
                Protocol.KIND_CRASH, crash.pid(), crash.getMessage(), null);
            reply.putIntProperty(Protocol.EXIT_CODE, crash.exitCode());
            reply.putIntProperty(Protocol.SIGNAL, crash.signal().orElse(-1));
        } else if (error instanceof TaskTimeoutException) {
            reply(producer, session, finished.pool, finished.task, finished.attempt, Protocol.KIND_TIMEOUT,
                ((TaskTimeoutException) error).pid(), error.getMessage(), null);
        } else {
            reply(producer, session, finished.pool, finished.task, finished.attempt, Protocol.KIND_HOST_ERROR, 0,
                "worker host '" + name + "' could not run the task: " + error, null);
        }
    }

    private ClientMessage reply(final ClientProducer producer, final ClientSession session, final String pool,
        final long task, final int attempt, final int kind, final long pid, final String error, final byte[] body)
        throws ActiveMQException {
        final ClientMessage reply = session.createMessage(true);
        reply.putLongProperty(Protocol.TASK, task);
        reply.putIntProperty(Protocol.ATTEMPT, attempt);
        reply.putIntProperty(Protocol.KIND, kind);
        reply.putStringProperty(Protocol.HOST, name);
        reply.putLongProperty(Protocol.WORKER_PID, pid);
        if (error != null) {
            reply.putStringProperty(Protocol.ERROR, error);
        }
        if (body != null) {
            MessageBodies.write(reply, body);
        }
        producer.send(Protocol.results(pool), reply);
        return reply;
    }

    /** @return the function, fetched from its pool's function queue when first met; null when the pool is gone. */
    private ShippedFunction function(final ClientSession session, final String pool, final int functionId)
        throws ActiveMQException {
        final Map<Integer, ShippedFunction> known = functions.computeIfAbsent(pool, p -> new HashMap<>());
        final ShippedFunction cached = known.get(functionId);
        if (cached != null) {
            return cached;
        }
        final String queue = Protocol.functions(pool);
        if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
            return null;
        }
        try (ClientConsumer browser = session.createConsumer(queue, Protocol.FUNCTION + "=" + functionId, true)) {
            final ClientMessage definition = browser.receive(5_000);
            if (definition == null) {
                return null;
            }
            final byte[] body = new byte[definition.getBodySize()];
            definition.getBodyBuffer().readBytes(body);
            final ByteBuffer in = ByteBuffer.wrap(body);
            final int depth = in.getInt();
            final byte[] allowList = new byte[in.getInt()];
            in.get(allowList);
            final byte[] fn = new byte[in.remaining()];
            in.get(fn);
            final ShippedFunction function = new ShippedFunction(name, fn, allowList, depth);
            known.put(functionId, function);
            return function;
        }
    }

    private Pool localPool(final long timeoutMs) {
        return localPools.computeIfAbsent(timeoutMs, t -> {
            final String ownPath = System.getProperty("java.class.path");
            final var builder = Pool.builder().workers(workers).name(name + (t == 0 ? "" : "-t" + t))
                .retryPolicy(RetryPolicy.none()).maxMessageBytes(64 << 20).chunkSize(1)
                .classpath(classpath == null || classpath.isBlank() ? ownPath : classpath + java.io.File.pathSeparator
                    + ownPath);
            if (t > 0) {
                builder.taskTimeout(Duration.ofMillis(t));
            }
            return builder.build();
        });
    }

    private void sendStatus(final ClientSession session, final ClientProducer producer) throws ActiveMQException {
        final ClientMessage status = session.createMessage(false);
        status.putStringProperty(Protocol.HOST, name);
        status.putStringProperty(org.apache.activemq.artemis.api.core.Message.HDR_LAST_VALUE_NAME,
            SimpleString.of(name));
        status.putIntProperty(Protocol.WORKERS, workers);
        status.putStringProperty(Protocol.PIDS, localPools.values().stream().flatMap(p -> p.workerPids().stream())
            .map(String::valueOf).collect(Collectors.joining(",")));
        status.putLongProperty(Protocol.DONE, done);
        status.putIntProperty(Protocol.HELD, held);
        status.putLongProperty(Protocol.WORKER_PID, ProcessHandle.current().pid());
        status.setExpiration(System.currentTimeMillis() + STATUS_EXPIRES_MS);
        producer.send(Protocol.HOSTS, status);
    }

    /** @return the pids of the local worker JVMs running now. */
    public List<Long> workerPids() {
        return localPools.values().stream().flatMap(p -> p.workerPids().stream()).collect(Collectors.toList());
    }

    /** Stops pulling, waits (briefly) for held tasks, closes local pools and the connection. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        final long deadline = System.currentTimeMillis() + 10_000;
        while (!stopped && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        localPools.values().forEach(Pool::close);
        connection.close();
    }
}
