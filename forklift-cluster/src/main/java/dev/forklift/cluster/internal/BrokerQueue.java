package dev.forklift.cluster.internal;

import dev.forklift.ForkliftException;
import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.MessageReader;
import dev.forklift.queue.MessageTooLargeException;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueClosedException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Queue} over a durable broker queue ({@code forklift.queue.NAME}), shared by every process that opens
 * the same name on the same broker, on any machine. Items are persistent messages, journaled by the broker before
 * {@code put} returns; each is taken by one consumer.
 * {@link #close()} ends the stream for everyone: it adds an end-of-stream marker after the items (each consumer
 * that meets it puts it back for the others) and marks the queue closed, so that later puts fail. The queue stays
 * on the broker until its items are taken. Capacity is approximate: a producer checks the queue's depth every few
 * puts and waits while it is at the capacity.
 *
 * <p>Delivery: an item is acknowledged as soon as it is taken (at most once to the taker; a consumer that dies
 * after taking loses that item, as with a shared-memory queue). Threads: producing methods are serialized on one
 * session, consuming methods on another. Internal to the module.
 */
public final class BrokerQueue<T> implements Queue<T> {
    private static final String END_OF_STREAM = "fl_eos";
    private static final int DEPTH_CHECK_EVERY = 16;

    private final String name;
    private final String address;
    private final Class<T> type;
    private final Codec<T> codec;
    private final int capacity;
    private final int maxMessageBytes;
    private final BrokerConnection connection;
    private final Object produceLock = new Object();
    private final Object consumeLock = new Object();
    private ClientSession produceSession;
    private ClientProducer producer;
    private ClientSession consumeSession;
    private ClientConsumer consumer;
    private int putsSinceCheck = DEPTH_CHECK_EVERY;
    private volatile boolean closed;
    private volatile boolean endOfStream;
    private volatile boolean released;

    /**
     * Connects and creates the broker queue unless it exists.
     *
     * @param brokerUrl       the broker.
     * @param name            the queue's name.
     * @param type            the item type.
     * @param codec           the item codec.
     * @param capacity        the approximate bound.
     * @param maxMessageBytes the largest encoded item.
     */
    public BrokerQueue(final String brokerUrl, final String name, final Class<T> type, final Codec<T> codec,
        final int capacity, final int maxMessageBytes) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,200}")) {
            throw new IllegalArgumentException("a broker queue name uses letters, digits, '_', '.', '-' (1-200): name="
                + name);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: capacity=" + capacity);
        }
        this.name = name;
        this.address = Protocol.QUEUE_PREFIX + name;
        this.type = type;
        this.codec = codec;
        this.capacity = capacity;
        this.maxMessageBytes = maxMessageBytes;
        this.connection = new BrokerConnection(dev.forklift.cluster.BrokerUrl.parse(brokerUrl), 30_000, true);
        try {
            produceSession = connection.session();
            BrokerConnection.ensureQueue(produceSession, address);
            producer = produceSession.createProducer(address);
        } catch (final ActiveMQException | RuntimeException ex) {
            connection.close();
            throw new ForkliftException("cannot open broker queue '" + name + "': " + ex, ex);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<T> elementType() {
        return type;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    // ---- producing -------------------------------------------------------------------------------------------

    private byte[] encode(final T item) {
        if (item == null) {
            throw new NullPointerException("item must not be null (queue '" + name + "')");
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(256, maxMessageBytes));
        while (true) {
            try {
                codec.encode(item, buffer);
                break;
            } catch (final BufferOverflowException ex) {
                if (buffer.capacity() >= maxMessageBytes) {
                    throw new MessageTooLargeException(name, (long) maxMessageBytes + 1, maxMessageBytes);
                }
                buffer = ByteBuffer.allocate((int) Math.min(maxMessageBytes, buffer.capacity() * 4L));
            } catch (final CodecException ex) {
                throw ex;
            } catch (final RuntimeException | StackOverflowError ex) {
                throw new CodecException("cannot encode an item of type " + item.getClass().getName() + " for queue '"
                    + name + "': " + ex, ex);
            }
        }
        final byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    /** Sends, waiting up to the deadline (nanoTime; Long.MAX_VALUE for none) while at capacity. */
    private boolean send(final byte[] bytes, final long deadlineNs) throws InterruptedException {
        synchronized (produceLock) {
            checkOpen();
            if (++putsSinceCheck >= DEPTH_CHECK_EVERY) {
                putsSinceCheck = 0;
                while (depth() >= capacity) {
                    if (System.nanoTime() >= deadlineNs) {
                        putsSinceCheck = DEPTH_CHECK_EVERY;
                        return false;
                    }
                    Thread.sleep(5);
                    checkOpen();
                }
            }
            try {
                final ClientMessage message = produceSession.createMessage(true);
                message.getBodyBuffer().writeBytes(bytes);
                producer.send(message);
                return true;
            } catch (final ActiveMQException ex) {
                throw new ForkliftException("broker queue '" + name + "': the send failed: " + ex, ex);
            }
        }
    }

    private void checkOpen() {
        if (closed || closedOnBroker()) {
            closed = true;
            throw new QueueClosedException(name);
        }
    }

    private boolean closedOnBroker() {
        try {
            return produceSession.queueQuery(SimpleString.of(address + ".closed")).isExists();
        } catch (final ActiveMQException ex) {
            return false;
        }
    }

    private long depth() {
        try {
            return produceSession.queueQuery(SimpleString.of(address)).getMessageCount();
        } catch (final ActiveMQException ex) {
            return 0;
        }
    }

    @Override
    public void put(final T item) throws InterruptedException {
        send(encode(item), Long.MAX_VALUE);
    }

    @Override
    public boolean offer(final T item) {
        try {
            return send(encode(item), System.nanoTime());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(final T item, final long timeout, final TimeUnit unit) throws InterruptedException {
        return send(encode(item), System.nanoTime() + unit.toNanos(timeout));
    }

    @Override
    public void putAll(final List<? extends T> items) throws InterruptedException {
        for (final T item : items) {
            put(item);
        }
    }

    @Override
    public void putInPlace(final int maxLengthBytes, final MessageWriter writer) throws InterruptedException {
        offerInPlace(maxLengthBytes, writer, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean offerInPlace(final int maxLengthBytes, final MessageWriter writer, final long timeout,
        final TimeUnit unit) throws InterruptedException {
        if (maxLengthBytes < 0) {
            throw new IllegalArgumentException("maxLengthBytes must not be negative: " + maxLengthBytes);
        }
        if (maxLengthBytes > maxMessageBytes) {
            throw new MessageTooLargeException(name, maxLengthBytes, maxMessageBytes);
        }
        final ByteBuffer slot = ByteBuffer.allocate(maxLengthBytes);
        final int length = writer.write(slot);
        if (length < 0 || length > maxLengthBytes) {
            throw new IllegalStateException("the writer returned length " + length + ", outside 0.."
                + maxLengthBytes);
        }
        final byte[] bytes = new byte[length];
        System.arraycopy(slot.array(), 0, bytes, 0, length);
        final long deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + unit.toNanos(timeout);
        return send(bytes, deadline);
    }

    @Override
    public void putRunInPlace(final int count, final int maxLengthBytes, final MessageWriter writer)
        throws InterruptedException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        for (int i = 0; i < count; i++) {
            putInPlace(maxLengthBytes, writer);
        }
    }

    // ---- consuming -------------------------------------------------------------------------------------------

    /** Receives the next item's bytes, null on timeout; throws at the end of the stream. */
    private byte[] receive(final long timeoutMs) throws InterruptedException {
        synchronized (consumeLock) {
            if (endOfStream) {
                throw new EndOfStreamException(name);
            }
            try {
                if (consumer == null) {
                    consumeSession = connection.session();
                    consumer = consumeSession.createConsumer(address);
                }
                final ClientMessage message = timeoutMs <= 0 ? consumer.receiveImmediate()
                    : consumer.receive(timeoutMs);
                if (Thread.interrupted()) {
                    if (message != null) {
                        consumeSession.rollback();
                    }
                    throw new InterruptedException();
                }
                if (message == null) {
                    return null;
                }
                message.acknowledge();
                if (message.containsProperty(END_OF_STREAM)) {
                    endOfStream = true;
                    closed = true;
                    sendEndOfStream(consumeSession);
                    throw new EndOfStreamException(name);
                }
                final byte[] bytes = new byte[message.getBodySize()];
                message.getBodyBuffer().readBytes(bytes);
                return bytes;
            } catch (final ActiveMQException ex) {
                throw new ForkliftException("broker queue '" + name + "': the receive failed: " + ex, ex);
            }
        }
    }

    private T decode(final byte[] bytes) {
        try {
            return codec.decode(ByteBuffer.wrap(bytes));
        } catch (final CodecException ex) {
            throw ex;
        } catch (final RuntimeException ex) {
            throw new CodecException("cannot decode an item of queue '" + name + "': " + ex, ex);
        }
    }

    @Override
    public T take() throws InterruptedException {
        while (true) {
            final byte[] bytes = receive(200);
            if (bytes != null) {
                return decode(bytes);
            }
        }
    }

    @Override
    public T poll() {
        try {
            final byte[] bytes = receive(0);
            return bytes == null ? null : decode(bytes);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException {
        final byte[] bytes = receive(Math.max(1, unit.toMillis(timeout)));
        return bytes == null ? null : decode(bytes);
    }

    @Override
    public int drainTo(final Collection<? super T> target, final int maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
        }
        int taken = 0;
        while (taken < maxItems) {
            final T item;
            try {
                item = poll();
            } catch (final EndOfStreamException ex) {
                if (taken == 0) {
                    throw ex;
                }
                break;
            }
            if (item == null) {
                break;
            }
            target.add(item);
            taken++;
        }
        return taken;
    }

    @Override
    public int takeInto(final Collection<? super T> target, final int maxItems) throws InterruptedException {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
        }
        target.add(take());
        return 1 + (maxItems > 1 ? drainQuietly(target, maxItems - 1) : 0);
    }

    private int drainQuietly(final Collection<? super T> target, final int maxItems) {
        try {
            return drainTo(target, maxItems);
        } catch (final EndOfStreamException ex) {
            return 0;
        }
    }

    @Override
    public void takeInPlace(final MessageReader reader) throws InterruptedException {
        while (true) {
            final byte[] bytes = receive(200);
            if (bytes != null) {
                reader.read(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                return;
            }
        }
    }

    @Override
    public boolean pollInPlace(final MessageReader reader, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        final byte[] bytes = receive(unit.toMillis(timeout));
        if (bytes == null) {
            return false;
        }
        reader.read(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        return true;
    }

    @Override
    public int takeRunInPlace(final MessageReader reader, final int maxItems) throws InterruptedException {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
        }
        takeInPlace(reader);
        int read = 1;
        final List<Throwable> errors = new ArrayList<>();
        while (read < maxItems) {
            final byte[] bytes;
            try {
                bytes = receive(0);
            } catch (final EndOfStreamException ex) {
                break;
            }
            if (bytes == null) {
                break;
            }
            read++;
            try {
                reader.read(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
            } catch (final RuntimeException ex) {
                errors.add(ex);
            }
        }
        if (!errors.isEmpty()) {
            final RuntimeException first = (RuntimeException) errors.get(0);
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
        return read;
    }

    // ---- state -----------------------------------------------------------------------------------------------

    @Override
    public int size() {
        synchronized (produceLock) {
            return (int) Math.min(Integer.MAX_VALUE, depth());
        }
    }

    @Override
    public boolean isClosed() {
        if (closed) {
            return true;
        }
        synchronized (produceLock) {
            return closed || closedOnBroker();
        }
    }

    @Override
    public boolean isEndOfStream() {
        return endOfStream;
    }

    /** Ends the stream for every process (idempotent), then disconnects this one. */
    @Override
    public void close() {
        synchronized (produceLock) {
            if (!closed) {
                closed = true;
                try {
                    BrokerConnection.ensureQueue(produceSession, address + ".closed");
                    sendEndOfStream(produceSession);
                } catch (final ActiveMQException ex) {
                    throw new ForkliftException("broker queue '" + name + "': cannot end the stream: " + ex, ex);
                }
            }
        }
        release();
    }

    private void sendEndOfStream(final ClientSession session) throws ActiveMQException {
        final ClientMessage marker = session.createMessage(true);
        marker.putBooleanProperty(END_OF_STREAM, true);
        session.createProducer(address).send(marker);
    }

    private void release() {
        if (released) {
            return;
        }
        released = true;
        connection.close();
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    next = take();
                    return true;
                } catch (final EndOfStreamException ex) {
                    return false;
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while taking from queue '" + name + "'", ex);
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                final T item = next;
                next = null;
                return item;
            }
        };
    }
}
