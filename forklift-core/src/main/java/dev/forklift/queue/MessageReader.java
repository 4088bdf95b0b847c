package dev.forklift.queue;

import java.nio.ByteBuffer;

/**
 * Reads one message where it lies in the queue's shared memory, without copying it out: the callback of
 * {@link Queue#takeInPlace}, {@link Queue#pollInPlace} and {@link Queue#takeRunInPlace}.
 *
 * <p>Called on the thread that takes, in the taking process, while that process holds the message's slot.
 * Keep it short: a producer that comes round to this slot again waits until the callback returns.
 */
@FunctionalInterface
public interface MessageReader {
    /**
     * Reads one message.
     *
     * @param message a read-only view of the message's bytes in the slot: position 0, limit and capacity the
     *                message length, byte order big-endian (the callback may change position, limit and order;
     *                the view is its own). Valid only until this method returns: the slot is released then and
     *                a producer may overwrite it at once, so neither the view nor a buffer derived from it may
     *                be kept or read later (it would show another message's bytes).
     * @throws RuntimeException any (and any error); the message still counts as taken (it is not handed to another
     *                          consumer), the slot is released, and the exception reaches the caller of the take
     *                          as it is.
     */
    void read(ByteBuffer message);
}
