package dev.forklift.process.internal;

import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.process.ChildOutput;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.SharedMemoryDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A child's start rehearsed in a warm worker ({@link WarmWorkerMain}) while it is spare, so that once leased it
 * runs code that has run before: the spec encoded as a parent encodes it and decoded as a leased child decodes it
 * ({@link ChildMain#prepare}: the spec's allow-list, the task class checked and instantiated, the arguments decoded
 * with the classes written into them, queues among them attached), the task's context, and the heartbeat thread
 * started; and the control connection's traffic ({@link #rehearseConnection}). Measured on a warm worker: the first decoding of a pool worker's arguments took 10 to 20 ms of CPU
 * (object-stream descriptors, reflection and method handles made for each class on first use), most of a warm
 * pool's start.
 *
 * <p>Called by a task class's {@code warmUp()} on a warm worker's main thread, before its host hands it out; never
 * in a leased or launched child. Touches no parent and no status board (the row is this process's own memory).
 * Internal; not API.
 */
public final class ChildRehearsal {
    private ChildRehearsal() {
    }

    /**
     * Encodes and decodes a spec for the task class and arguments, and makes the context its task would run with.
     *
     * @param taskClass the task class, public with a public no-argument constructor.
     * @param args      its arguments, as a parent would pass them (queues made by the caller).
     * @return the context over the decoded arguments (queues attached again), on which the caller may run the task.
     * @throws Exception what encoding or decoding threw ({@link dev.forklift.process.ChildStartException} for a
     *                   class that cannot be a task).
     */
    public static TaskContext rehearse(final Class<? extends ProcessTask> taskClass, final Object... args)
        throws Exception {
        final Serialization.Encoded encoded = Serialization.toBytesNamingClasses(args);
        final ChildSpec spec = new ChildSpec("warm-rehearsal", "warm", ProcessHandle.current().pid(),
            taskClass.getName(), null, encoded.bytes(), encoded.classNames().toArray(new String[0]), "", 1);
        final ChildMain.Prepared prepared = ChildMain.prepare(spec.encode(), false);
        final StatusRow row = new StatusRow(new AtomicMemory(ByteBuffer.allocateDirect(
            StatusBoardDescriptor.HEADER_LENGTH + 2 * StatusBoardDescriptor.ROW_LENGTH)), 1);
        row.heartbeat();
        StatusBoard.startHeartbeats();
        final ChildTaskContext context = new ChildTaskContext(prepared.spec, prepared.args, row);
        row.state("running");
        return context;
    }

    /**
     * The control connection as a leased warm worker uses it, on a socket of this process's own (an owned file of
     * the shared-memory directory, deleted after): connect, a hello and a spec frame, a line of output through
     * {@link FramedOutput}.
     *
     * @throws IOException if a step fails.
     */
    public static void rehearseConnection() throws IOException {
        final Path path = SharedMemoryDirectory.current().reserveOwnedPath("rehearsal", "control", "sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel child = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                child.connect(UnixDomainSocketAddress.of(path));
                try (SocketChannel parent = server.accept()) {
                    Frames.write(child, Frames.HELLO, Frames.utf8("rehearsal"));
                    Frames.read(parent, Frames.HELLO);
                    Frames.write(parent, Frames.SPEC, new byte[16]);
                    Frames.read(child, Frames.SPEC);
                    final PrintStream out = FramedOutput.printStream(child, ChildOutput.Stream.STDOUT);
                    out.println("rehearsal");
                    out.flush();
                    Frames.read(parent, Frames.OUTPUT_LINE);
                }
            }
        } finally {
            SharedMemoryDirectory.deleteOwned(path);
        }
    }
}
