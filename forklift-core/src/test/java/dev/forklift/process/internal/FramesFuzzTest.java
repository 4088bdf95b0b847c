package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control-frame decoder fed random and corrupted bytes: it returns whole frames or fails with an
 * {@link IOException}; it never hangs once the peer is gone, and never allocates past its payload limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FramesFuzzTest {
    private static final int ROUNDS = 300;

    @Test
    void shouldDecodeOrFailCleanlyOnRandomBytes(@TempDir final Path dir) throws Exception {
        final SplittableRandom random = new SplittableRandom(11);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("fuzz.sock")));
            for (int round = 0; round < ROUNDS; round++) {
                final byte[] bytes = round % 2 == 0 ? randomBytes(random) : corruptedFrames(random);
                assertDecodesOrFails(server, dir.resolve("fuzz.sock"), bytes);
            }
        }
    }

    private static void assertDecodesOrFails(final ServerSocketChannel server, final Path socket, final byte[] bytes)
        throws IOException {
        try (SocketChannel writer = SocketChannel.open(UnixDomainSocketAddress.of(socket));
             SocketChannel reader = server.accept()) {
            writer.write(ByteBuffer.wrap(bytes));
            writer.close();
            int frames = 0;
            try {
                while (Frames.read(reader) != null) {
                    frames++;
                    assertThat(frames).isLessThanOrEqualTo(bytes.length / 5);
                }
            } catch (final IOException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    private static byte[] randomBytes(final SplittableRandom random) {
        final byte[] bytes = new byte[random.nextInt(0, 64)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Valid frames with a few bytes changed, or cut short. */
    private static byte[] corruptedFrames(final SplittableRandom random) {
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        final int frames = 1 + random.nextInt(4);
        for (int f = 0; f < frames; f++) {
            final byte[] payload = new byte[random.nextInt(0, 200)];
            random.nextBytes(payload);
            buffer.put((byte) (1 + random.nextInt(6))).putInt(payload.length).put(payload);
        }
        final byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        for (int flip = 0; flip < 1 + random.nextInt(3); flip++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return java.util.Arrays.copyOf(bytes, random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length);
    }
}
