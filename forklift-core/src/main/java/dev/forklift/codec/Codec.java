package dev.forklift.codec;

import java.io.Serializable;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Turns values of one type into bytes and back: the service-provider interface of Forklift's message encoding.
 *
 * <p>A queue holds one codec; it encodes in the process that puts and decodes in the process that takes, so the
 * codec object travels to child processes with the queue: implementations must be {@link Serializable} and
 * stateless (or hold only immutable configuration). Both methods may be called by many threads at once.
 *
 * <p>Buffer contract: {@link #encode} writes with relative {@code put} operations from {@code target.position()}
 * and must not write past {@code target.limit()}; {@link #decode} reads the message from {@code source.position()}
 * to {@code source.limit()}. Neither keeps a reference to the buffer after returning: it is a view of shared
 * memory that another message reuses next.
 *
 * <p>Built-in codecs are in {@link Codecs}; plug in Kryo, Protobuf, Jackson or your own by implementing this.
 *
 * @param <T> the type of the values.
 */
public interface Codec<T> extends Serializable {
    /** @return a short stable name for diagnostics, such as {@code forklift.utf8}. */
    String id();

    /**
     * Writes one value.
     *
     * @param value  the value, never null.
     * @param target where to write, from its position up to its limit.
     * @throws BufferOverflowException if the encoded value does not fit (the queue reports the message as too
     *                                 large); nothing written is used then.
     * @throws CodecException          if the value cannot be encoded (for example its class is not allowed).
     */
    void encode(T value, ByteBuffer target);

    /**
     * Reads one value.
     *
     * @param source the encoded message, from its position to its limit.
     * @return the decoded value.
     * @throws CodecException if the bytes are not a valid message for this codec, or name a class that is not
     *                        allowed; no object of a disallowed class is ever created.
     */
    T decode(ByteBuffer source);
}
