package dev.forklift.queue;

import java.nio.ByteBuffer;

/**
 * Writes one message straight into a claimed slot of the queue's shared memory: the callback of
 * {@link Queue#putInPlace}, {@link Queue#offerInPlace} and {@link Queue#putRunInPlace}.
 *
 * <p>Called on the thread that puts, in the putting process, while that process holds the claimed slot.
 * Keep it short: consumers see the messages in slot order, so every consumer that reaches this slot waits until
 * the callback returns. It must not put to the same queue (that put may wait for room that only this unpublished
 * message can make).
 */
@FunctionalInterface
public interface MessageWriter {
    /**
     * Writes one message.
     *
     * @param slot a writable view of the slot's payload: position 0, limit and capacity the
     *             {@code maxLengthBytes} the put asked for, byte order big-endian. Its bytes hold whatever an
     *             earlier message left there: write every byte of the message. Valid only until this method
     *             returns; neither the view nor a buffer derived from it may be kept.
     * @return the length of the message in bytes, 0 to {@code slot.capacity()}: after relative puts from position
     *         0 that is {@code slot.position()}, so {@code slot -> slot.put(bytes).position()} writes an array.
     * @throws RuntimeException any (and any error); the slot is then published as aborted (consumers skip it, no
     *                          consumer sees a partly written message) and the exception reaches the caller of the
     *                          put as it is.
     */
    int write(ByteBuffer slot);
}
