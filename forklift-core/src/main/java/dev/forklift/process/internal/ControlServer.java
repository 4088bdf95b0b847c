package dev.forklift.process.internal;

import dev.forklift.ForkliftException;
import dev.forklift.shm.SharedMemoryDirectory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one Unix-domain server socket of a parent process, on which its children connect back. Each child proves
 * who it is with the random token it got on its standard input ({@link Frames#HELLO}); the connection is then
 * handed to the launch waiting for that token. The socket file lives in the owner-only shared-memory directory and
 * is deleted at this process's normal exit (and reclaimed by the next Forklift process after a crash).
 *
 * <p>The connection also tells each child that its parent is alive: when this process dies, however it dies, the
 * kernel closes its end and the child sees end-of-stream.
 *
 * <p>What an unauthenticated peer can cost: at most {@value #MAX_UNAUTHENTICATED} connections are read for their
 * hello at a time (the acceptor waits for a free place before it accepts the next, so further peers wait in the
 * kernel's backlog); each gets {@value #HELLO_TIMEOUT_MS} ms to send its hello, then it is closed; a hello longer
 * than a token ({@link Frames#MAX_HELLO_BYTES}) or a first frame of another type is refused on its header.
 *
 * <p>Thread-safe. One daemon thread accepts; each accepted connection reads its hello on a short-lived daemon
 * thread; one daemon timer thread closes hellos that take too long. {@link #close()} stops accepting and deletes
 * the socket file (children already connected keep their connection); the next {@link #get()} opens a new server.
 *
 * <p>Internal; not API.
 */
public final class ControlServer implements AutoCloseable {
    /** Connections read for their hello at the same time, at most. */
    public static final int MAX_UNAUTHENTICATED = 16;
    /** Time a connection has to send its hello. A child sends it right after it connects. */
    public static final long HELLO_TIMEOUT_MS = 10_000;

    private static final ScheduledExecutorService HELLO_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "forklift-control-timer");
        thread.setDaemon(true);
        return thread;
    });
    private static volatile ControlServer instance;

    private final Path path;
    private final ServerSocketChannel server;
    private final ConcurrentHashMap<String, CompletableFuture<SocketChannel>> pending = new ConcurrentHashMap<>();
    private final Semaphore unauthenticated = new Semaphore(MAX_UNAUTHENTICATED);
    /**
     * Closes the server socket when this process exits, which wakes the accepting thread out of its native
     * {@code accept}: a JVM with a thread blocked in native code waits about 300 ms at exit before giving up on it.
     */
    private final Thread exitHook = new Thread(this::closeServerQuietly, "forklift-control-exit");

    private volatile Thread acceptor;

    private ControlServer(final Path path, final ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    /**
     * @return this process's control server, started on the first call.
     * @throws ForkliftException if the socket cannot be bound.
     */
    public static ControlServer get() {
        ControlServer current = instance;
        if (current == null) {
            synchronized (ControlServer.class) {
                current = instance;
                if (current == null) {
                    current = start();
                    instance = current;
                }
            }
        }
        return current;
    }

    private static ControlServer start() {
        final Path path = SharedMemoryDirectory.current().reserveOwnedPath("ctl", "control", "sock");
        try {
            final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            final ControlServer control = new ControlServer(path, server);
            final Thread acceptor = new Thread(control::acceptLoop, "forklift-control-accept");
            acceptor.setDaemon(true);
            control.acceptor = acceptor;
            acceptor.start();
            Runtime.getRuntime().addShutdownHook(control.exitHook);
            return control;
        } catch (final IOException | RuntimeException ex) {
            SharedMemoryDirectory.deleteOwned(path);
            throw new ForkliftException("cannot open the control socket " + path + ": " + ex, ex);
        }
    }

    /** @return the path of the socket, given to children on their command line (it is no secret). */
    public Path path() {
        return path;
    }

    /**
     * Registers a token before its child is launched.
     *
     * @param token the child's random token.
     * @return completed with the child's connection once it has said hello.
     */
    public CompletableFuture<SocketChannel> expect(final String token) {
        final CompletableFuture<SocketChannel> connection = new CompletableFuture<>();
        pending.put(token, connection);
        return connection;
    }

    /**
     * Forgets a token (the child started, or failed to). A connection arriving later for it is closed.
     *
     * @param token the token.
     */
    public void forget(final String token) {
        pending.remove(token);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                unauthenticated.acquire();
            } catch (final InterruptedException ex) {
                return;
            }
            boolean handedOff = false;
            try {
                final SocketChannel channel = server.accept();
                DaemonThreads.start("forklift-control-hello", () -> hello(channel));
                handedOff = true;
            } catch (final IOException ex) {
                if (!server.isOpen()) {
                    return;
                }
            } finally {
                if (!handedOff) {
                    unauthenticated.release();
                }
            }
        }
    }

    /** Reads one hello within the timeout; hands the connection to its launch, or closes it. */
    private void hello(final SocketChannel channel) {
        final ScheduledFuture<?> timeout = HELLO_TIMER.schedule(() -> closeQuietly(channel), HELLO_TIMEOUT_MS,
            TimeUnit.MILLISECONDS);
        try {
            final Frames.Frame frame = Frames.read(channel, Frames.HELLO);
            if (frame != null && timeout.cancel(false)) {
                final CompletableFuture<SocketChannel> connection =
                    pending.remove(new String(frame.payload(), StandardCharsets.UTF_8));
                if (connection != null && connection.complete(channel)) {
                    return;
                }
            }
        } catch (final IOException ignored) {
            // A peer that does not speak the protocol, or too slowly, is dropped.
        } finally {
            timeout.cancel(false);
            unauthenticated.release();
        }
        closeQuietly(channel);
    }

    /** Stops accepting and deletes the socket file. Idempotent; never blocks. */
    @Override
    public void close() {
        synchronized (ControlServer.class) {
            if (instance == this) {
                instance = null;
            }
        }
        closeQuietly(server);
        final Thread accepting = acceptor;
        if (accepting != null) {
            // Out of a wait for a free place, if it is in one (a wait in accept ends with the server).
            accepting.interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (final IllegalStateException | IllegalArgumentException ignored) {
            // Already exiting, or never registered.
        }
        SharedMemoryDirectory.deleteOwned(path);
        pending.values().forEach(connection -> connection.cancel(false));
        pending.clear();
    }

    private void closeServerQuietly() {
        closeQuietly(server);
    }

    static void closeQuietly(final AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (final Exception ignored) {
                // Best effort.
            }
        }
    }
}
