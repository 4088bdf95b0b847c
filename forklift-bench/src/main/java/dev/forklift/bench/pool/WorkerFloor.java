package dev.forklift.bench.pool;

import dev.forklift.bench.Limit;
import dev.forklift.process.internal.Launcher;
import dev.forklift.process.internal.WorkersJar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor of P-start on this machine, as a {@link Limit} of the bench: the time from launching one JVM to its first
 * result when that JVM does the least a worker can ({@link WorkerFloorChild}), timed in this JVM as P-start times a
 * pool. What a pool adds above it is Forklift's; the floor itself is the price of a JVM worker, which no pool of JVM
 * processes can go under.
 *
 * <p>The child runs with the options a pool worker gets ({@code -XX:+UseSerialGC -Xmn16m -Xshare:auto}), the
 * benchmark's workers jar as its class path, and a class-data archive of its own classes, dumped by one untimed run
 * first ({@code -XX:ArchiveClassesAtExit}), as a pool worker gets Forklift's (none when the class path cannot be
 * archived).
 *
 * <p>Not thread-safe: one measurement at a time, from the harness's thread. Each {@link #measure()} binds a
 * Unix-domain socket in a directory of its own, launches one child and blocks in {@code accept} until it connects
 * (a child that exits first, or 60 s, closes the socket and fails the measurement), reads its result, waits up to
 * 30 s for its exit, then deletes the directory. The archive is kept until this JVM exits.
 */
public final class WorkerFloor implements Limit {
    private static final long RESULT_TIMEOUT_SEC = 60;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "worker-floor-timeout");
        thread.setDaemon(true);
        return thread;
    });
    /** The archive option of every measured launch, once the first measurement dumped it. */
    private static String archiveOption;

    @Override
    public String name() {
        return "JVM worker floor";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    /**
     * @return ms from the launch of one floor child to its result.
     * @throws IOException if the socket or the child fails.
     * @throws InterruptedException if interrupted while waiting for the child.
     */
    @Override
    public double measure() throws IOException, InterruptedException {
        if (archiveOption == null) {
            final Path dumped = Files.createTempDirectory("forklift-floor-archive").resolve("floor.jsa");
            // Deleted at exit in the reverse order of registration: the file first, then its directory.
            dumped.getParent().toFile().deleteOnExit();
            dumped.toFile().deleteOnExit();
            launch("-XX:ArchiveClassesAtExit=" + dumped, ProcessBuilder.Redirect.DISCARD);
            // A class path the JVM cannot archive (a directory of classes, as in a build's tests) dumps nothing:
            // the floor is then measured without an archive, as a worker on that class path runs.
            archiveOption = Files.isRegularFile(dumped) ? "-XX:SharedArchiveFile=" + dumped : "-Xshare:auto";
        }
        return launch(archiveOption, ProcessBuilder.Redirect.INHERIT);
    }

    /** @return ms from the launch to the result read; the child's output goes to {@code output}. */
    private static double launch(final String archiveOption, final ProcessBuilder.Redirect output)
        throws IOException, InterruptedException {
        final byte[] frame = frame(1);
        final Path dir = Files.createTempDirectory("forklift-floor");
        final Path socket = dir.resolve("floor.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            final long start = System.nanoTime();
            final Process child = new ProcessBuilder(command(socket, archiveOption)).redirectOutput(output)
                .redirectError(output).start();
            // A child that dies before it connects, or hangs, ends the blocking accept by closing the server.
            child.onExit().thenRun(() -> closeQuietly(server));
            final ScheduledFuture<?> timeout = TIMER.schedule(() -> closeQuietly(server), RESULT_TIMEOUT_SEC,
                TimeUnit.SECONDS);
            try {
                final int result;
                try (SocketChannel channel = server.accept()) {
                    final ByteBuffer out = ByteBuffer.wrap(frame);
                    while (out.hasRemaining()) {
                        channel.write(out);
                    }
                    final ByteBuffer in = ByteBuffer.allocate(Integer.BYTES);
                    while (in.hasRemaining()) {
                        if (channel.read(in) < 0) {
                            throw new IOException("the floor child closed the connection without a result");
                        }
                    }
                    result = in.flip().getInt();
                } catch (final ClosedChannelException ex) {
                    throw new IOException("the floor child exited or hung before it connected ("
                        + (child.isAlive() ? "alive" : "exit " + child.exitValue()) + ")", ex);
                }
                final double ms = (System.nanoTime() - start) / 1e6;
                if (result != 2) {
                    throw new IllegalStateException("the floor child returned " + result + " for INC(1)");
                }
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the floor child did not exit within 30 s");
                }
                return ms;
            } finally {
                timeout.cancel(false);
                child.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void closeQuietly(final ServerSocketChannel server) {
        try {
            server.close();
        } catch (final IOException ignored) {
            // closed is closed
        }
    }

    private static List<String> command(final Path socket, final String archiveOption) {
        final List<String> command = new ArrayList<>(List.of(Launcher.javaBinary(), "-XX:+UseSerialGC", "-Xmn16m",
            "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", archiveOption));
        command.addAll(List.of("-cp", WorkersJar.forLaunch(System.getProperty("java.class.path")),
            WorkerFloorChild.class.getName(), socket.toString()));
        return command;
    }

    /** @return the frame: its length, the input, then {@link PoolFunctions#INC} serialized. */
    private static byte[] frame(final int input) {
        final ByteArrayOutputStream function = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(function)) {
            out.writeObject(PoolFunctions.INC);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return ByteBuffer.allocate(2 * Integer.BYTES + function.size()).putInt(Integer.BYTES + function.size())
            .putInt(input).put(function.toByteArray()).array();
    }
}
