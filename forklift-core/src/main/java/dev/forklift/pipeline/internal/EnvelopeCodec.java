package dev.forklift.pipeline.internal;

import dev.forklift.codec.Codec;

import java.nio.ByteBuffer;

/**
 * Encodes an {@link Envelope}: a 16-byte header (source index, position, ordinal) and the payload through the codec
 * of the step's output type.
 *
 * <pre>
 *  +----------------+------------------+-----------------+----------------------------------+
 *  | source (int32) | position (int64) | ordinal (int32) | payload, encoded by payloadCodec |
 *  +----------------+------------------+-----------------+----------------------------------+
 * </pre>
 */
public final class EnvelopeCodec implements Codec<Envelope> {
    private static final long serialVersionUID = 1L;
    private final Codec<Object> payloadCodec;

    /** @param payloadCodec the codec of the payloads. */
    @SuppressWarnings("unchecked")
    public EnvelopeCodec(final Codec<?> payloadCodec) {
        this.payloadCodec = (Codec<Object>) payloadCodec;
    }

    @Override
    public String id() {
        return "forklift.pipeline.envelope+" + payloadCodec.id();
    }

    @Override
    public void encode(final Envelope value, final ByteBuffer target) {
        target.putInt(value.source());
        target.putLong(value.position());
        target.putInt(value.ordinal());
        payloadCodec.encode(value.payload(), target);
    }

    @Override
    public Envelope decode(final ByteBuffer source) {
        final int sourceIndex = source.getInt();
        final long position = source.getLong();
        final int ordinal = source.getInt();
        return new Envelope(sourceIndex, position, ordinal, payloadCodec.decode(source));
    }
}
