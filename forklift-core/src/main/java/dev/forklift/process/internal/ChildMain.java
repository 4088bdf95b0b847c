package dev.forklift.process.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.process.ChildStartException;
import dev.forklift.process.ProcessTask;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The main class of every child JVM: connects back to the parent, receives the task, reports ready, runs the task,
 * reports its outcome and exits (0 on success, 1 when the task threw, 2 when the child could not start).
 *
 * <p>Parent death: a daemon thread blocks reading the control connection; end-of-stream or an error there means
 * the parent is gone (the kernel closes its end however it died), and the child halts at once with
 * {@link #PARENT_GONE_EXIT_CODE} without running shutdown hooks.
 *
 * <p>Command line: {@code <control socket path>}. The token that proves the child to its parent comes on standard
 * input (one line, then end of stream), never on the command line: any user can read a process's arguments
 * ({@code ps}, {@code /proc/<pid>/cmdline}), while a pipe between parent and child is read by this process alone,
 * and, unlike an environment variable, is neither visible in {@code /proc/<pid>/environ} nor inherited by processes
 * the task starts. The spec is decoded from its binary layout (no object stream), the task and arguments with the
 * list of classes the parent wrote into them ({@link ChildSpec}). Without arguments it is a prelaunched JVM
 * ({@link Prelaunch}): it boots first and gets {@code <control socket> <token>} as one line on standard input once
 * its parent has made its spec. Internal; not API.
 */
public final class ChildMain {
    /** Exit code of a child whose task threw. */
    public static final int TASK_FAILED_EXIT_CODE = 1;
    /** Exit code of a child that could not start its task. */
    public static final int START_FAILED_EXIT_CODE = 2;
    /** Exit code of a child that halted because its parent is gone. */
    public static final int PARENT_GONE_EXIT_CODE = 86;
    /**
     * Third word of a prelaunched JVM's line when its pipes are not its parent's own ({@link InheritedJvm}): its
     * {@code System.out} and {@code System.err} then go to the parent as control frames.
     */
    static final String FRAMED_OUTPUT = "framed";

    private static final Object WRITE_LOCK = new Object();
    /** Longest exception message reported when the whole exception is too large to send. */
    private static final int MAX_REPORTED_MESSAGE_CHARS = 64 * 1024;
    /** Set just before this process closes its control connection on purpose, on its way out. */
    private static volatile boolean exiting;
    /** True in a prelaunched JVM: its name and role are the spec's, not its command line's. */
    private static volatile boolean identityFromSpec;

    private ChildMain() {
    }

    /**
     * @param args the control socket path, the token then read from standard input; or none, and both are read
     *             from standard input (a prelaunched JVM).
     */
    public static void main(final String[] args) {
        StartupTrace.stamp("child main");
        if (args.length == 0) {
            runPrelaunched();
            return;
        }
        final String token;
        try {
            token = readToken(System.in);
        } catch (final IOException ex) {
            System.err.println("forklift child: cannot read the token from standard input: " + ex);
            System.exit(START_FAILED_EXIT_CODE);
            return;
        }
        System.setIn(new ByteArrayInputStream(new byte[0]));
        if (args.length != 1 || token.isEmpty()) {
            System.err.println("usage: ChildMain <control-socket>, with the token on standard input (started by a"
                + " Forklift parent only)");
            System.exit(START_FAILED_EXIT_CODE);
        }
        run(args[0], token, false);
    }

    /**
     * A JVM launched before its child existed ({@link Prelaunch}): its standard input brings one line,
     * {@code <control socket> <token>} (and {@value #FRAMED_OUTPUT} when its output goes as control frames), once
     * the parent has made the child's spec; end of input without it means
     * the parent let it go (or died), and it exits. Its name and role then come from the spec.
     */
    private static void runPrelaunched() {
        // While the parent has not taken it yet: the JDK's first UNIX-domain socket seeds a SecureRandom (the
        // security providers' start), 30 ms of the child's connect under load; done here, off the path once taken.
        try {
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (final IOException | RuntimeException ignored) {
            // the connect will tell
        }
        StartupTrace.stamp("child first UNIX socket opened");
        final String line;
        try {
            line = WarmWorkerMain.readLine(System.in);
        } catch (final IOException ex) {
            System.exit(0);
            return;
        }
        final String[] words = line.split(" ");
        if (words.length < 2 || words[0].isEmpty()) {
            System.exit(0); // not taken
            return;
        }
        StartupTrace.stamp("child taken");
        System.setIn(new ByteArrayInputStream(new byte[0]));
        identityFromSpec = true;
        run(words[0], words[1], words.length > 2 && words[2].equals(FRAMED_OUTPUT));
    }

    /**
     * The life of a child once it knows its parent's control socket and its token: connect, get the spec, run the
     * task, report, exit. Never returns.
     *
     * @param socket       the parent's control socket.
     * @param token        the token.
     * @param framedOutput true for a warm worker leased from its host (its standard output and error are the host's
     *                     pipes) or a JVM the launcher script started ({@link InheritedJvm}): its lines go to the
     *                     parent as control frames instead.
     */
    static void run(final String socket, final String token, final boolean framedOutput) {
        final SocketChannel channel;
        final Frames.Frame specFrame;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(Path.of(socket)));
            Frames.write(channel, Frames.HELLO, Frames.utf8(token));
            if (framedOutput) {
                System.setOut(FramedOutput.printStream(channel, dev.forklift.process.ChildOutput.Stream.STDOUT));
                System.setErr(FramedOutput.printStream(channel, dev.forklift.process.ChildOutput.Stream.STDERR));
            }
            StartupTrace.stamp("child connected, hello sent");
            specFrame = Frames.read(channel, Frames.SPEC);
            StartupTrace.stamp("child spec received");
        } catch (final IOException ex) {
            System.err.println("forklift child: cannot reach the parent on " + socket + ": " + ex);
            Runtime.getRuntime().halt(PARENT_GONE_EXIT_CODE);
            return;
        }
        if (specFrame == null || specFrame.type() != Frames.SPEC) {
            Runtime.getRuntime().halt(PARENT_GONE_EXIT_CODE);
            return;
        }
        // A warm worker (framed, and not a prelaunched JVM of this parent) prestarted its kept threads.
        watchParent(channel, framedOutput && !identityFromSpec);

        final ProcessTask task;
        final ChildTaskContext context;
        final String name;
        try {
            final Prepared prepared = prepare(specFrame.payload(), framedOutput || identityFromSpec);
            task = prepared.task;
            final ChildSpec spec = prepared.spec;
            final StatusRow row = StatusBoard.attach(Path.of(spec.statusBoardPath()), spec.statusRow());
            SelfRow.setChildRow(row);
            StatusBoard.heartbeat(row);
            context = new ChildTaskContext(spec, prepared.args, row);
            row.state("running");
            name = spec.name();
        } catch (final Throwable ex) {
            final ChildStartException failure = ex instanceof ChildStartException
                ? (ChildStartException) ex : new ChildStartException("cannot prepare the task: " + ex, ex);
            send(channel, Frames.START_FAILED, failure);
            exit(channel, START_FAILED_EXIT_CODE);
            return;
        }
        slowStartForTests(name);
        send(channel, Frames.READY, null);
        StartupTrace.stamp("child ready sent");
        // The CPU time of the whole start, all threads, for comparing start paths: only with the CPU stamps, since
        // reading every thread's /proc entry takes milliseconds between a worker's ready and its first task.
        if (StartupTrace.cpuEnabled()) {
            StartupTrace.stamp("child cpu ms at ready " + ProcessHandle.current().info().totalCpuDuration()
                .map(Duration::toMillis).orElse(-1L));
            StartupTrace.stamp("child thread cpu ms at ready " + StartupTrace.threadCpuMs());
        }

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
     * Tests only: with {@code -Dforklift.test.slowStart=NAME:MS[:EXIT][,NAME:MS[:EXIT]...]}, the child named NAME
     * waits MS before it reports ready, then, with EXIT, halts with that code instead (a start that fails late).
     * Other children and JVMs without the property go on at once.
     */
    private static void slowStartForTests(final String name) {
        final String setting = System.getProperty("forklift.test.slowStart");
        if (setting == null) {
            return;
        }
        String[] parts = null;
        for (final String entry : setting.split(",")) {
            final String[] fields = entry.split(":");
            if (fields.length >= 2 && fields[0].equals(name)) {
                parts = fields;
            }
        }
        if (parts == null) {
            return;
        }
        try {
            Thread.sleep(Long.parseLong(parts[1]));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (parts.length > 2) {
            System.err.println("forklift child: failing its start on purpose (forklift.test.slowStart)");
            System.err.flush();
            Runtime.getRuntime().halt(Integer.parseInt(parts[2]));
        }
    }

    /**
     * Closes the control connection, then exits. The close wakes the watcher thread out of its blocking read: a
     * thread left blocked in native code makes the JVM wait about 300 ms at exit before it gives up on it, and
     * that wait would delay every child's exit (and so the end-of-stream of every step after it). The outcome
     * frame was written before, so the parent still reads it before the end of the connection.
     */
    private static void exit(final SocketChannel channel, final int code) {
        exiting = true;
        StartupTrace.stamp("child exit");
        System.out.flush();
        System.err.flush();
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Closed is closed.
        }
        System.exit(code);
    }

    /**
     * A child's task and arguments decoded from its spec frame, as {@link #run} does before it reports ready: the
     * part of a child's start that a warm worker rehearses ({@link ChildRehearsal}).
     *
     * @param payload      the spec frame's payload.
     * @param identityFromSpec true when this JVM takes its name and role from the spec (a warm or prelaunched one).
     * @return the spec, the task and its arguments (queues attached).
     * @throws Exception a {@link ChildStartException} naming what could not be decoded, or what the task's
     *                   decoding threw.
     */
    static Prepared prepare(final byte[] payload, final boolean identityFromSpec) throws Exception {
        final ChildSpec spec = decodeSpec(payload);
        if (identityFromSpec) {
            // A warm or prelaunched worker was started before anyone knew its name and role.
            System.setProperty("forklift.role", spec.role());
            System.setProperty("forklift.name", spec.name());
        }
        final AllowList written = Serialization.allowListOf(Arrays.asList(spec.classNames()));
        StartupTrace.stamp("child spec decoded");
        final ProcessTask task = loadTask(spec, written);
        StartupTrace.stamp("child task decoded");
        final Object[] taskArgs = decodeArgs(spec, written);
        StartupTrace.stamp("child arguments decoded (queues attached)");
        if (task instanceof PreparesBeforeReady) {
            try {
                ((PreparesBeforeReady) task).beforeReady(taskArgs);
            } catch (final Exception ex) {
                throw new ChildStartException("cannot prepare the task with its arguments: " + ex.getMessage(), ex);
            }
            StartupTrace.stamp("child task prepared with its arguments");
        }
        return new Prepared(spec, task, taskArgs);
    }

    /** What {@link #prepare} decoded. */
    static final class Prepared {
        final ChildSpec spec;
        final ProcessTask task;
        final Object[] args;

        Prepared(final ChildSpec spec, final ProcessTask task, final Object[] args) {
            this.spec = spec;
            this.task = task;
            this.args = args;
        }
    }

    /**
     * @param channel the control connection.
     * @param warm    true in a warm worker, which started threads to keep while it waited for its lease
     *                ({@link DaemonThreads#prestart}); a launched child starts a thread of its own (the kept
     *                threads' machinery would be loaded on its start path for this one thread).
     */
    private static void watchParent(final SocketChannel channel, final boolean warm) {
        if (warm) {
            DaemonThreads.start("forklift-parent-watch", new ParentWatch(channel));
            return;
        }
        final Thread watcher = new Thread(new ParentWatch(channel), "forklift-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Blocks reading the control connection; its end means the parent is gone. A class, not a lambda: a lambda
     * first run in a JVM spins a class of its own, on the start path of every child (a warm one included).
     */
    private static final class ParentWatch implements Runnable {
        private final SocketChannel channel;

        ParentWatch(final SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
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
        }
    }

    /**
     * Reads the token line: at most {@link Frames#MAX_HELLO_BYTES} bytes up to a line feed or the end of the stream.
     *
     * @param in the standard input the parent wrote the token into.
     * @return the token, empty when none came.
     * @throws IOException if the line is longer than a token, or the stream fails.
     */
    static String readToken(final InputStream in) throws IOException {
        final StringBuilder token = new StringBuilder();
        int next;
        while ((next = in.read()) != -1 && next != '\n') {
            if (token.length() == Frames.MAX_HELLO_BYTES) {
                throw new IOException("the token line is longer than " + Frames.MAX_HELLO_BYTES + " bytes");
            }
            token.append((char) next);
        }
        return token.toString();
    }

    private static ChildSpec decodeSpec(final byte[] payload) {
        try {
            return ChildSpec.decode(payload);
        } catch (final IOException ex) {
            throw new ChildStartException("refused the spec from the control socket: " + ex.getMessage(), ex);
        }
    }

    private static ProcessTask loadTask(final ChildSpec spec, final AllowList written) throws Exception {
        if (spec.taskBytes() != null) {
            try {
                return (ProcessTask) Serialization.fromBytes(spec.taskBytes(), written);
            } catch (final Serialization.ClassRefusedException ex) {
                throw new ChildStartException("refused to decode the task object: class " + ex.className()
                    + " is not among the classes its parent wrote", ex);
            } catch (final ClassNotFoundException ex) {
                throw new ChildStartException("cannot decode the task object: class " + ex.getMessage()
                    + " is not on the child's class path (" + System.getProperty("java.class.path") + "); "
                    + ChildClasspath.HOW_TO_SET, ex);
            }
        }
        final String className = spec.taskClassName();
        final Class<?> type;
        try {
            type = Class.forName(className, false, ClassLoader.getSystemClassLoader());
        } catch (final ClassNotFoundException ex) {
            throw new ChildStartException("task class '" + className + "' not found on the child's class path ("
                + System.getProperty("java.class.path") + "); " + ChildClasspath.HOW_TO_SET, ex);
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

    private static Object[] decodeArgs(final ChildSpec spec, final AllowList written) {
        try {
            return (Object[]) Serialization.fromBytes(spec.argsBytes(), written);
        } catch (final Serialization.ClassRefusedException ex) {
            throw new ChildStartException("refused to decode the task arguments: class " + ex.className()
                + " is not among the classes its parent wrote", ex);
        } catch (final ClassNotFoundException ex) {
            throw new ChildStartException("cannot decode the task arguments: class " + ex.getMessage()
                + " is not on the child's class path (" + System.getProperty("java.class.path") + "); "
                + ChildClasspath.HOW_TO_SET, ex);
        } catch (final Exception ex) {
            throw new ChildStartException("cannot decode the task arguments: " + ex, ex);
        }
    }

    /**
     * Writes one frame under the lock every frame of this child is written with.
     *
     * @throws IOException if the parent is gone.
     */
    static void write(final SocketChannel channel, final byte type, final byte[] payload) throws IOException {
        synchronized (WRITE_LOCK) {
            Frames.write(channel, type, payload);
        }
    }

    private static void send(final SocketChannel channel, final byte type, final Throwable thrown) {
        try {
            final byte[] payload = thrown == null ? new byte[0] : failureReport(thrown);
            synchronized (WRITE_LOCK) {
                Frames.write(channel, type, payload);
            }
        } catch (final IOException ex) {
            // The parent is gone; the watcher halts this process.
        }
    }

    /**
     * The serialized envelope of a failure, within {@link Frames#MAX_FAILURE_BYTES}: without the serialized
     * throwable when that is too large, and with its message cut when even that is.
     */
    static byte[] failureReport(final Throwable thrown) throws IOException {
        final ThrowableEnvelope full = ThrowableEnvelope.of(thrown);
        final byte[] bytes = Serialization.toBytes(full);
        if (bytes.length <= Frames.MAX_FAILURE_BYTES) {
            return bytes;
        }
        final String message = full.message() == null || full.message().length() <= MAX_REPORTED_MESSAGE_CHARS
            ? full.message() : full.message().substring(0, MAX_REPORTED_MESSAGE_CHARS) + "... (cut: "
            + full.message().length() + " characters)";
        return Serialization.toBytes(new ThrowableEnvelope(full.className(), message, full.trace(), null));
    }
}
