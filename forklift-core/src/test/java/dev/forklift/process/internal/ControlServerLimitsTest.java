package dev.forklift.process.internal;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.TestTasks;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parent's control socket bounds what an unauthenticated peer costs it: a connection that never says hello is
 * closed after the handshake timeout, a hello frame longer than a token is refused before its payload is read, and
 * connections waiting for their hello are read by a bounded number of threads. A child started afterwards still
 * connects and runs.
 */
@ProcessDeadline(seconds = 180)
class ControlServerLimitsTest {
    /**
     * Idle connections opened: well above the server's cap on connections read at once, and within what the cap
     * plus the kernel's accept backlog (50) hold without blocking the connecting test.
     */
    private static final int IDLE_CONNECTIONS = 60;
    /** Twice the server's cap on connections read at once, half the idle connections opened. */
    private static final int READER_THREAD_CEILING = 32;

    @Test
    void aConnectionThatNeverSaysHelloIsClosedByTheServer() throws Exception {
        try (SocketChannel idle = SocketChannel.open(UnixDomainSocketAddress.of(ControlServer.get().path()))) {
            final CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> readOnce(idle));
            assertThat(read.get(60, TimeUnit.SECONDS)).as("end of stream from the server").isEqualTo(-1);
        }
    }

    @Test
    void aHelloLongerThanAnyTokenIsRefusedBeforeItsPayloadIsRead() throws Exception {
        try (SocketChannel greedy = SocketChannel.open(UnixDomainSocketAddress.of(ControlServer.get().path()))) {
            final ByteBuffer header = ByteBuffer.allocate(5).put(Frames.HELLO).putInt(200 << 20).flip();
            greedy.write(header);
            final CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> readOnce(greedy));
            // Well inside the handshake timeout: the length alone decides.
            assertThat(read.get(5, TimeUnit.SECONDS)).as("end of stream from the server").isEqualTo(-1);
        }
    }

    @Test
    void connectionsWaitingForTheirHelloAreReadByABoundedNumberOfThreads() throws Exception {
        final String path = ControlServer.get().path().toString();
        final List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(SocketChannel.open(UnixDomainSocketAddress.of(path)));
            }
            Thread.sleep(1_000);
            assertThat(helloReaders()).as("threads reading a hello").isLessThanOrEqualTo(READER_THREAD_CEILING);
        } finally {
            for (final SocketChannel channel : idle) {
                channel.close();
            }
        }
        try (ChildProcess child = ChildProcess.builder(TestTasks.ExitTask.class).name("after-flood")
            .jvmOptions("-XX:TieredStopAtLevel=1", "-Xshare:auto").args(0).start()) {
            assertThat(child.join(Duration.ofSeconds(60))).isTrue();
            assertThat(child.exitCode()).isZero();
        }
    }

    private static long helloReaders() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.isAlive() && thread.getName().startsWith("forklift-control-hello")).count();
    }

    private static int readOnce(final SocketChannel channel) {
        try {
            return channel.read(ByteBuffer.allocate(16));
        } catch (final java.io.IOException ex) {
            return -1;
        }
    }
}
