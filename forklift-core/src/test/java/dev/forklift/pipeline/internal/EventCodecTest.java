package dev.forklift.pipeline.internal;

import dev.forklift.codec.CodecException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void shouldRoundTripProgressAndFailureEvents() {
        final Event progress = Event.progress(1 << 20, 64, 1);
        final Event failure = Event.failure("tokenize", 3, 1234L, new IllegalStateException("bad byte ü at 7"));
        final Event started = Event.sourceStarted(5);
        for (final Event event : new Event[] {progress, failure, started}) {
            final ByteBuffer buffer = ByteBuffer.allocate(1024);
            codec.encode(event, buffer);
            buffer.flip();
            assertThat(codec.decode(buffer)).isEqualTo(event);
            assertThat(buffer.hasRemaining()).isFalse();
        }
    }

    @Test
    void shouldRejectATruncatedOrCorruptMessage() {
        final ByteBuffer buffer = ByteBuffer.allocate(1024);
        codec.encode(Event.failure("read", 0, 0, new RuntimeException("x")), buffer);
        buffer.flip();
        buffer.limit(buffer.limit() - 1);
        assertThatThrownBy(() -> codec.decode(buffer)).isInstanceOf(CodecException.class);
        final ByteBuffer corrupt = ByteBuffer.allocate(64);
        corrupt.putInt(0).putLong(0).putLong(0).putLong(0).putLong(0).putLong(0).putInt(-7);
        corrupt.flip();
        assertThatThrownBy(() -> codec.decode(corrupt)).isInstanceOf(CodecException.class)
            .hasMessageContaining("-7");
    }
}
