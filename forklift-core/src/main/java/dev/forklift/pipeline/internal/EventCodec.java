package dev.forklift.pipeline.internal;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes an {@link Event} field by field: no Java serialization on the events queue, so a pipeline process
 * reports its first progress without first warming up the JDK's serialization machinery.
 *
 * <pre>
 *  +--------------+---------------+--------------+-------------+---------------+--------+---------+-------------+
 *  | source int32 | position int64 | pid int64   | bytesRead   | itemsRead     | sources| stage   | error       |
 *  |              |                |             | int64       | int64         | Done   | string  | string      |
 *  +--------------+---------------+--------------+-------------+---------------+--------+---------+-------------+
 * </pre>
 * A string is its UTF-8 length as int32 (-1 for null) and its bytes. Used on the parent's events queue, in the
 * pipeline's processes (encode) and the parent (decode); stateless and thread-safe.
 */
public final class EventCodec implements Codec<Event> {
    private static final long serialVersionUID = 1L;

    @Override
    public String id() {
        return "forklift.pipeline.event";
    }

    @Override
    public void encode(final Event value, final ByteBuffer target) {
        target.putInt(value.source());
        target.putLong(value.position());
        target.putLong(value.pid());
        target.putLong(value.bytesRead());
        target.putLong(value.itemsRead());
        target.putLong(value.sourcesDone());
        putString(value.stage(), target);
        putString(value.error(), target);
    }

    @Override
    public Event decode(final ByteBuffer source) {
        try {
            final int sourceIndex = source.getInt();
            final long position = source.getLong();
            final long pid = source.getLong();
            final long bytesRead = source.getLong();
            final long itemsRead = source.getLong();
            final long sourcesDone = source.getLong();
            final String stage = getString(source);
            final String error = getString(source);
            return new Event(stage, sourceIndex, position, pid, error, bytesRead, itemsRead, sourcesDone);
        } catch (final BufferUnderflowException | IllegalArgumentException ex) {
            throw new CodecException("corrupt event message: " + ex, ex);
        }
    }

    private static void putString(final String text, final ByteBuffer target) {
        if (text == null) {
            target.putInt(-1);
            return;
        }
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        target.putInt(bytes.length);
        target.put(bytes);
    }

    private static String getString(final ByteBuffer source) {
        final int length = source.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > source.remaining()) {
            throw new IllegalArgumentException("string length " + length + " with " + source.remaining()
                + " bytes left");
        }
        final byte[] bytes = new byte[length];
        source.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
