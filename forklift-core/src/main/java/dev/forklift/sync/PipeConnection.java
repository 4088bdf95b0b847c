package dev.forklift.sync;

import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;
import dev.forklift.queue.WaitStrategy;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Sends to the other end and
 * receives from it. Serializable: passed to a child as an argument, it arrives attached.
 *
 * <p>Blocking: {@link #send} waits while the other end has not taken the pipe's capacity of messages;
 * {@link #receive} waits for a message; {@link #poll(Duration)} waits at most its timeout. All answer interrupts.
 * End: {@link #close()} ends this end's sending (never blocks); the other end receives what was sent before, then
 * {@link EndOfStreamException} (Python's {@code EOFError}). Thread-safe.
 *
 * @serial exclude
 */
public final class PipeConnection implements AutoCloseable, Serializable, Waitable {
    private static final long serialVersionUID = 1L;
    private static final WaitStrategy POLL_WAIT = WaitStrategy.backoff(200, 100, 1_000, 1_000_000);

    private final Queue<Object> in;
    private final Queue<Object> out;

    PipeConnection(final Queue<Object> in, final Queue<Object> out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Sends an object: a {@code byte[]}, a string, a box, or anything the pipe's allow-list lets through.
     *
     * @param message the message, not null.
     * @throws dev.forklift.queue.QueueClosedException     if this end was closed.
     * @throws dev.forklift.queue.MessageTooLargeException if it encodes to more than the pipe's message size.
     * @throws dev.forklift.codec.CodecException           if it cannot be encoded (its class is not allowed).
     * @throws InterruptedException                        if interrupted while the pipe is full.
     */
    public void send(final Object message) throws InterruptedException {
        out.put(message);
    }

    /**
     * Sends bytes (Python's {@code send_bytes}); the other end gets them with {@link #receiveBytes()} or
     * {@link #receive()}.
     *
     * @param bytes the bytes.
     * @throws InterruptedException if interrupted while the pipe is full.
     */
    public void sendBytes(final byte[] bytes) throws InterruptedException {
        out.put(bytes);
    }

    /**
     * @return the next message, waiting for one.
     * @throws EndOfStreamException if the other end closed and everything it sent was received.
     * @throws InterruptedException if interrupted while waiting.
     */
    public Object receive() throws InterruptedException {
        return in.take();
    }

    /**
     * @param type the type the message must have.
     * @param <T>  the type.
     * @return the next message, waiting for one.
     * @throws ClassCastException   naming both types if the message is of another type (it is consumed).
     * @throws EndOfStreamException if the other end closed and everything it sent was received.
     * @throws InterruptedException if interrupted while waiting.
     */
    public <T> T receive(final Class<T> type) throws InterruptedException {
        final Object message = in.take();
        if (!type.isInstance(message)) {
            throw new ClassCastException("the message received is a " + message.getClass().getName() + ", not a "
                + type.getName());
        }
        return type.cast(message);
    }

    /**
     * @return the next message, which must be bytes (Python's {@code recv_bytes}).
     * @throws ClassCastException   if it is another object.
     * @throws EndOfStreamException if the other end closed and everything it sent was received.
     * @throws InterruptedException if interrupted while waiting.
     */
    public byte[] receiveBytes() throws InterruptedException {
        return receive(byte[].class);
    }

    /**
     * @param timeout the longest wait.
     * @return the next message, or null if none came within the timeout.
     * @throws EndOfStreamException if the other end closed and everything it sent was received.
     * @throws InterruptedException if interrupted while waiting.
     */
    public Object receive(final Duration timeout) throws InterruptedException {
        return in.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return true if a message (or the end of the stream) is there to receive now; never blocks. */
    public boolean poll() {
        return in.hasItemReady() || in.isEndOfStream();
    }

    /**
     * Waits until a message (or the end of the stream) is there to receive, without receiving it.
     *
     * @param timeout the longest wait; zero to look once.
     * @return true if one is there, false if the timeout passed first.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean poll(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final WaitStrategy.Idler idler = POLL_WAIT.newIdler();
        while (!poll()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while polling a pipe");
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            idler.idle();
        }
        return true;
    }

    /** @return {@link #poll()}: for {@link Readiness#await}. */
    @Override
    public boolean isReady() {
        return poll();
    }

    /** @return true once the other end closed (there may still be messages to receive). */
    public boolean isOtherEndClosed() {
        return in.isClosed();
    }

    /**
     * Ends this end's sending: the other end receives what was sent, then the end of the stream. This end can still
     * receive. Idempotent; never blocks.
     */
    @Override
    public void close() {
        out.close();
    }

    @Override
    public String toString() {
        return "PipeConnection[in=" + in.name() + ", out=" + out.name() + ']';
    }
}
