package dev.forklift.bench.pool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The least a JVM worker can do for a first result, and nothing more ({@link WorkerFloorProbe}): connect to the
 * parent's Unix-domain socket, read one frame (a serialized function and its input), decode the function with
 * Java serialization, apply it, write the result back, exit. No handshake, spec, queue, status board or thread of
 * Forklift's.
 *
 * <p>Run by {@link WorkerFloorProbe} only: {@code WorkerFloorChild <socket path>}.
 */
public final class WorkerFloorChild {
    private WorkerFloorChild() {
    }

    /**
     * @param args the parent's socket path.
     * @throws Exception on any failure: the parent sees the connection end without a result.
     */
    @SuppressWarnings("unchecked")
    public static void main(final String[] args) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
            final ByteBuffer length = readFully(channel, Integer.BYTES);
            final ByteBuffer frame = readFully(channel, length.getInt());
            final int input = frame.getInt();
            final byte[] function = new byte[frame.remaining()];
            frame.get(function);
            final Function<Integer, Integer> decoded;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(function))) {
                decoded = (Function<Integer, Integer>) in.readObject();
            }
            final ByteBuffer result = ByteBuffer.allocate(Integer.BYTES).putInt(decoded.apply(input)).flip();
            while (result.hasRemaining()) {
                channel.write(result);
            }
        }
    }

    private static ByteBuffer readFully(final SocketChannel channel, final int bytes) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the parent closed the connection");
            }
        }
        return buffer.flip();
    }
}
