package dev.forklift.process.internal;

import dev.forklift.process.ChildStartException;
import dev.forklift.process.ProcessTask;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The main class of every child JVM: connects back to the parent, receives the task, reports ready, runs the task,
 * reports its outcome and exits (0 on success, 1 when the task threw, 2 when the child could not start).
 *
 * <p>Parent death: a daemon thread blocks reading the control connection; end-of-stream or an error there means
 * the parent is gone (the kernel closes its end however it died), and the child halts at once with
 * {@link #PARENT_GONE_EXIT_CODE} without running shutdown hooks.
 *
 * <p>Command line: {@code <control socket path> <token>}. Internal; not API.
 */
public final class ChildMain {
    /** Exit code of a child whose task threw. */
    public static final int TASK_FAILED_EXIT_CODE = 1;
    /** Exit code of a child that could not start its task. */
    public static final int START_FAILED_EXIT_CODE = 2;
    /** Exit code of a child that halted because its parent is gone. */
    public static final int PARENT_GONE_EXIT_CODE = 86;

    private static final Object WRITE_LOCK = new Object();
    /** Set just before this process closes its control connection on purpose, on its way out. */
    private static volatile boolean exiting;

    private ChildMain() {
    }

    /**
     * @param args the control socket path and the token.
     */
    public static void main(final String[] args) {
        System.setIn(new ByteArrayInputStream(new byte[0]));
        if (args.length != 2) {
            System.err.println("usage: ChildMain <control-socket> <token> (started by a Forklift parent only)");
            System.exit(START_FAILED_EXIT_CODE);
        }
        final SocketChannel channel;
        final Frames.Frame specFrame;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
            Frames.write(channel, Frames.HELLO, Frames.utf8(args[1]));
            specFrame = Frames.read(channel);
        } catch (final IOException ex) {
            System.err.println("forklift child: cannot reach the parent on " + args[0] + ": " + ex);
            Runtime.getRuntime().halt(PARENT_GONE_EXIT_CODE);
            return;
        }
        if (specFrame == null || specFrame.type() != Frames.SPEC) {
            Runtime.getRuntime().halt(PARENT_GONE_EXIT_CODE);
            return;
        }
        watchParent(channel);

        final ChildSpec spec;
        final ProcessTask task;
        final ChildTaskContext context;
        try {
            spec = (ChildSpec) Serialization.fromBytes(specFrame.payload());
            task = loadTask(spec);
            final Object[] taskArgs = decodeArgs(spec);
            final StatusRow row = StatusBoard.attach(Path.of(spec.statusBoardPath()), spec.statusRow());
            SelfRow.setChildRow(row);
            StatusBoard.heartbeat(row);
            context = new ChildTaskContext(spec, taskArgs, row);
            row.state("running");
        } catch (final Throwable ex) {
            final ChildStartException failure = ex instanceof ChildStartException
                ? (ChildStartException) ex : new ChildStartException("cannot prepare the task: " + ex, ex);
            send(channel, Frames.START_FAILED, failure);
            exit(channel, START_FAILED_EXIT_CODE);
            return;
        }
        send(channel, Frames.READY, null);

        try {
            task.run(context);
        } catch (final Throwable ex) {
            send(channel, Frames.OUTCOME_FAILURE, ex);
            exit(channel, TASK_FAILED_EXIT_CODE);
            return;
        }
        send(channel, Frames.OUTCOME_SUCCESS, null);
        exit(channel, 0);
    }

    /**
     * Closes the control connection, then exits. The close wakes the watcher thread out of its blocking read: a
     * thread left blocked in native code makes the JVM wait about 300 ms at exit before it gives up on it, and
     * that wait would delay every child's exit (and so the end-of-stream of every step after it). The outcome
     * frame was written before, so the parent still reads it before the end of the connection.
     */
    private static void exit(final SocketChannel channel, final int code) {
        exiting = true;
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Closed is closed.
        }
        System.exit(code);
    }

    private static void watchParent(final SocketChannel channel) {
        final Thread watcher = new Thread(() -> {
            try {
                while (Frames.read(channel) != null) {
                    // No parent-to-child frames after the spec yet; anything else is ignored.
                }
            } catch (final IOException ignored) {
                // Same as end-of-stream: the parent is gone (or this process closed the connection to exit).
            }
            if (!exiting) {
                Runtime.getRuntime().halt(PARENT_GONE_EXIT_CODE);
            }
        }, "forklift-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static ProcessTask loadTask(final ChildSpec spec) throws Exception {
        if (spec.taskBytes() != null) {
            try {
                return (ProcessTask) Serialization.fromBytes(spec.taskBytes());
            } catch (final ClassNotFoundException ex) {
                throw new ChildStartException("cannot decode the task object: class " + ex.getMessage()
                    + " is not on the child's class path", ex);
            }
        }
        final String className = spec.taskClassName();
        final Class<?> type;
        try {
            type = Class.forName(className, false, ClassLoader.getSystemClassLoader());
        } catch (final ClassNotFoundException ex) {
            throw new ChildStartException("task class '" + className + "' not found on the child's class path ("
                + System.getProperty("java.class.path") + ")", ex);
        }
        return instantiate(type);
    }

    /**
     * Checks a task class and creates an instance.
     *
     * @param type the class.
     * @return a new instance.
     * @throws ChildStartException naming the class when it is not a usable task class.
     */
    static ProcessTask instantiate(final Class<?> type) {
        checkTaskClass(type);
        try {
            return (ProcessTask) type.getConstructor().newInstance();
        } catch (final java.lang.reflect.InvocationTargetException ex) {
            throw new ChildStartException("the constructor of task class '" + type.getName() + "' threw: "
                + ex.getCause(), ex.getCause());
        } catch (final ReflectiveOperationException ex) {
            throw new ChildStartException("cannot instantiate task class '" + type.getName() + "': " + ex, ex);
        }
    }

    /**
     * Checks that a class can be a task class: public, concrete, implementing ProcessTask, with a public
     * no-argument constructor.
     *
     * @param type the class.
     * @throws ChildStartException naming the class and the problem.
     */
    public static void checkTaskClass(final Class<?> type) {
        if (!ProcessTask.class.isAssignableFrom(type)) {
            throw new ChildStartException("task class '" + type.getName() + "' does not implement "
                + ProcessTask.class.getName());
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())
            || (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers()))) {
            throw new ChildStartException("task class '" + type.getName()
                + "' must be public, concrete and (when nested) static");
        }
        final Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (final NoSuchMethodException ex) {
            throw new ChildStartException("task class '" + type.getName()
                + "' has no public no-argument constructor", ex);
        }
        if (!Modifier.isPublic(constructor.getModifiers())) {
            throw new ChildStartException("task class '" + type.getName()
                + "' has no public no-argument constructor");
        }
    }

    private static Object[] decodeArgs(final ChildSpec spec) {
        try {
            return (Object[]) Serialization.fromBytes(spec.argsBytes());
        } catch (final ClassNotFoundException ex) {
            throw new ChildStartException("cannot decode the task arguments: class " + ex.getMessage()
                + " is not on the child's class path", ex);
        } catch (final Exception ex) {
            throw new ChildStartException("cannot decode the task arguments: " + ex, ex);
        }
    }

    private static void send(final SocketChannel channel, final byte type, final Throwable thrown) {
        try {
            final byte[] payload = thrown == null ? new byte[0]
                : Serialization.toBytes(ThrowableEnvelope.of(thrown));
            synchronized (WRITE_LOCK) {
                Frames.write(channel, type, payload);
            }
        } catch (final IOException ex) {
            // The parent is gone; the watcher halts this process.
        }
    }
}
