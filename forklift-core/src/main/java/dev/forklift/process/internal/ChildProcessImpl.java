package dev.forklift.process.internal;

import dev.forklift.process.ChildFailedException;
import dev.forklift.process.ChildOutput;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildStartException;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.process.WorkStamp;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The parent's handle on one child JVM: launch, start handshake, supervision and exit status.
 *
 * <p>Life: {@link #launch} starts the JVM (nothing waits); {@link #awaitReady()} waits for the handshake and, when
 * it fails, kills the child and throws. When the process exits (the parent learns at once through
 * {@link Process#onExit()}), a daemon thread collects the outcome the child reported on its control connection and
 * the last of its output, then completes {@link #onExit()}.
 *
 * <p>Internal; the public view is {@link ChildProcess}.
 */
public final class ChildProcessImpl implements ChildProcess {
    /** Launches and exits of child JVMs (DEBUG); see docs/logging.md. */
    private static final System.Logger LOG = System.getLogger("dev.forklift.process");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long DRAIN_TIMEOUT_MS = 2_000;
    private static final long KILL_WAIT_MS = 10_000;
    private static final ExecutorService EXITS = Executors.newCachedThreadPool(r -> {
        final Thread thread = new Thread(r, "forklift-child-exit");
        thread.setDaemon(true);
        return thread;
    });

    private final LaunchPlan plan;
    private final String token;
    private final ControlServer control;
    private final CompletableFuture<SocketChannel> connection;
    private final int rowIndex;
    private final StatusRow row;
    private final long launchNanos;
    private final CompletableFuture<Void> specSent = new CompletableFuture<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Frames.Frame> outcome = new CompletableFuture<>();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile ClassDataArchive.Use archive = ClassDataArchive.Use.NONE;
    private volatile OsProcess process;
    private volatile OutputPump stdout;
    private volatile OutputPump stderr;
    private volatile SocketChannel channel;
    private volatile boolean readerStarted;
    /** Set by {@link #kill()}: a child killed by its parent did not die of its class-data archive. */
    private volatile boolean killedByParent;
    private volatile long finalItemsDone;
    private volatile String finalState;

    private ChildProcessImpl(final LaunchPlan plan) {
        this(plan, newToken(), null);
    }

    /** A child whose token is registered already (a preleased warm worker's), with its connection. */
    private ChildProcessImpl(final LaunchPlan plan, final String token,
        final CompletableFuture<SocketChannel> connection) {
        this.plan = plan;
        this.token = token;
        this.control = ControlServer.get();
        this.connection = connection != null ? connection : control.expect(token);
        final StatusBoard board = StatusBoard.current();
        this.rowIndex = board.allocateRow();
        this.row = board.row(rowIndex);
        this.launchNanos = System.nanoTime();
    }

    /**
     * Launches the child JVM without waiting for it.
     *
     * @param plan the validated plan.
     * @return the handle; call {@link #awaitReady()} next.
     * @throws ChildStartException if the JVM cannot be launched at all.
     */
    public static ChildProcessImpl launch(final LaunchPlan plan) {
        final ChildProcessImpl child = prepare(plan);
        final Prelaunch.Jvm prelaunched = Prelaunch.claim(plan);
        if (prelaunched != null && Prelaunch.handOver(prelaunched, child.control.path(), child.token)) {
            StartupTrace.stamp("prelaunched JVM taken by " + plan.name());
            child.archive = prelaunched.archive();
            child.attach(prelaunched.process());
            return child;
        }
        child.launchHere();
        return child;
    }

    /**
     * Registers a child (its token and status row) without starting a JVM: then either {@link #launchHere()} or
     * {@link #attachWarm(WarmProcess)}.
     *
     * @param plan the validated plan.
     * @return the handle.
     */
    static ChildProcessImpl prepare(final LaunchPlan plan) {
        final ChildProcessImpl child = new ChildProcessImpl(plan);
        child.row.publish(0, ProcessHandle.current().pid(), plan.role(), plan.name(), "starting",
            System.currentTimeMillis());
        return child;
    }

    private static String newToken() {
        final byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /**
     * Takes a warm worker leased before the plan was made ({@link WarmPrelease}) as this child's JVM: its token is
     * registered and it may have connected back already; the caller sends its spec ({@link #sendSpecsTogether}).
     *
     * @param plan  the validated plan.
     * @param spare the claimed spare.
     * @return the handle; call {@link #awaitReady()} next.
     */
    static ChildProcessImpl adopt(final LaunchPlan plan, final WarmPrelease.Spare spare) {
        final ChildProcessImpl child = new ChildProcessImpl(plan, spare.token(), spare.connection());
        child.row.publish(0, ProcessHandle.current().pid(), plan.role(), plan.name(), "starting",
            System.currentTimeMillis());
        child.attach(spare.process(), false);
        return child;
    }

    /**
     * Sends their specs to children adopted together ({@link #adopt}): first every spec is encoded, then those of
     * the workers already connected are written one right after the other, so that they decode them at the same
     * time (on a small machine, a worker woken by its spec may take the parent's CPU for tens of milliseconds
     * before the next spec would be written); a worker not connected yet gets its spec when its hello comes.
     *
     * @param children the adopted children, none of whose specs was sent.
     */
    static void sendSpecsTogether(final List<ChildProcessImpl> children) {
        final List<ChildProcessImpl> connected = new ArrayList<>();
        final List<byte[]> specs = new ArrayList<>();
        for (final ChildProcessImpl child : children) {
            if (child.connection.isDone() && !child.connection.isCompletedExceptionally()) {
                try {
                    specs.add(child.encodeSpec());
                    connected.add(child);
                } catch (final IOException | RuntimeException ex) {
                    child.specSent.completeExceptionally(ex);
                }
            } else {
                child.connection.thenAccept(child::sendSpec);
            }
        }
        for (int i = 0; i < connected.size(); i++) {
            final ChildProcessImpl child = connected.get(i);
            try {
                child.writeSpec(child.connection.join(), specs.get(i));
            } catch (final IOException | RuntimeException ex) {
                child.specSent.completeExceptionally(ex);
            }
        }
        for (final ChildProcessImpl child : connected) {
            if (!child.specSent.isDone()) {
                StartupTrace.stamp("hello from " + child.plan.name() + ", spec sent");
                child.startReader();
                child.specSent.complete(null);
            }
        }
    }

    /** @return the token the child proves itself with (handed to a warm worker through its host). */
    String token() {
        return token;
    }

    /** @return the control socket the child connects to. */
    java.nio.file.Path controlPath() {
        return control.path();
    }

    /** Starts the child's JVM from this process. */
    void launchHere() {
        final Process started;
        try {
            StartupTrace.stamp("launching " + plan.name());
            archive = Launcher.archiveFor(plan);
            started = Launcher.start(plan, archive, control.path(), token);
            StartupTrace.stamp("launched " + plan.name() + " (archive " + (archive.maps() ? "mapped" : archive.dumpTarget() != null ? "dumped at exit" : "none") + ")");
        } catch (final IOException | RuntimeException ex) {
            abandon();
            throw new ChildStartException("cannot launch the JVM of child '" + plan.name() + "' ("
                + Launcher.javaBinary() + "): " + ex, ex);
        }
        attach(OsProcess.of(started));
    }

    /**
     * Takes a warm worker of the user's warm host as this child's JVM: it has been told this child's token and
     * control socket and connects back like a launched child. Its lines come as control frames.
     *
     * @param warm the leased process.
     */
    void attachWarm(final WarmProcess warm) {
        attach(warm);
    }

    /** Kills a child whose JVM runs (launched or leased); does nothing for one never launched. */
    void killIfLaunched() {
        if (process != null) {
            kill();
        }
    }

    /** Releases the token and the status row of a child that will not start. */
    void abandon() {
        archive.launchFailed();
        row.release();
        control.forget(token);
    }

    private void attach(final OsProcess started) {
        attach(started, true);
    }

    /** @param sendSpec false when the caller sends the spec ({@link #sendSpecsTogether}). */
    private void attach(final OsProcess started, final boolean sendSpec) {
        process = started;
        final long pid = process.pid();
        row.pid(pid);
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "child ''{0}'' (role {1}) launched: pid {2}", plan.name(), plan.role(),
                Long.toString(pid));
        }
        final String prefix = prefix();
        stdout = pump(process.stdout(), ChildOutput.Stream.STDOUT, prefix, "forklift-out-");
        stderr = pump(process.stderr(), ChildOutput.Stream.STDERR, prefix, "forklift-err-");
        process.onExit().thenRunAsync(this::finish, EXITS);
        if (sendSpec) {
            connection.thenAccept(this::sendSpec);
        }
    }

    /** @return a pump of the stream, or none when there is no pipe (the lines come as control frames). */
    private OutputPump pump(final java.io.InputStream pipe, final ChildOutput.Stream stream, final String prefix,
        final String threadPrefix) {
        return pipe == null ? OutputPump.none(stream, plan.output(), prefix)
            : OutputPump.start(pipe, stream, plan.output(), prefix, threadPrefix + plan.name());
    }

    private String prefix() {
        return "[" + plan.name() + " " + process.pid() + "] ";
    }

    /**
     * Sends the child its spec as soon as it has connected back (on the thread that saw the hello), then starts
     * reading its control frames: children started together get their specs in the order they connect, not in
     * the order the caller waits for them.
     */
    private void sendSpec(final SocketChannel connected) {
        try {
            writeSpec(connected, encodeSpec());
            StartupTrace.stamp("hello from " + plan.name() + ", spec sent");
            startReader();
            specSent.complete(null);
        } catch (final IOException | RuntimeException ex) {
            specSent.completeExceptionally(ex);
        }
    }

    private byte[] encodeSpec() throws IOException {
        final ChildSpec spec = new ChildSpec(plan.name(), plan.role(), ProcessHandle.current().pid(),
            plan.taskClassName(), plan.taskBytes(), plan.argsBytes(), plan.classNames().toArray(new String[0]),
            StatusBoard.current().path().toString(), rowIndex);
        return spec.encode();
    }

    private void writeSpec(final SocketChannel connected, final byte[] spec) throws IOException {
        channel = connected;
        Frames.write(connected, Frames.SPEC, spec);
    }

    /**
     * @return true if this child was launched with a class-data archive and died before it connected back: the
     *     archive may be what killed it (see {@link ClassDataArchive.Use#distrust()}, already called).
     */
    public boolean diedOnArchive() {
        final boolean died = !killedByParent && archive.maps()
            && (!connection.isDone() || connection.isCompletedExceptionally());
        if (died) {
            archive.distrust();
        }
        return died;
    }

    /**
     * Runs an action on the thread that reads the child's READY frame, as soon as it is read (at once if it was):
     * for a caller that must not wait for another thread to wake first. Never runs when the child fails to start.
     *
     * @param action what to run; it must not block.
     */
    public void whenReady(final Runnable action) {
        ready.thenRun(action);
    }

    /**
     * Waits until the child reports ready (start timeout counted from the launch).
     *
     * @throws ChildStartException when the child exits first, reports a start failure or times out; the child is
     *                             gone when this is thrown.
     */
    public void awaitReady() {
        try {
            awaitFirst(connection, "connect back");
            if (!connection.isDone()) {
                throw failStart(exitedEarly("before connecting back"), null);
            }
            channel = connection.join();
            awaitFirst(specSent, "receive its task");
            if (specSent.isCompletedExceptionally()) {
                final Throwable cause = specSent.handle((ok, ex) -> ex).join();
                awaitExitQuietly();
                throw failStart(exitedEarly("while receiving its task"), cause);
            }
            awaitFirst(ready, "report ready");
            if (!ready.isDone()) {
                try {
                    ready.get(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (final ExecutionException | TimeoutException ignored) {
                    // Decided below.
                }
            }
            if (ready.isCompletedExceptionally()) {
                final Throwable cause = ready.handle((ok, ex) -> ex).join();
                if (!(cause instanceof ConnectionClosed)) {
                    throw failStart(cause.getMessage(), cause.getCause());
                }
                throw failStart(exitedEarly("before reporting ready"), null);
            }
            if (!ready.isDone()) {
                throw failStart(exitedEarly("before reporting ready"), null);
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failStart("interrupted while starting child '" + plan.name() + "' (pid " + pid() + ")", ex);
        }
    }

    private void awaitFirst(final CompletableFuture<?> step, final String what) throws InterruptedException {
        final long remainingNanos = plan.startTimeout().toNanos() - (System.nanoTime() - launchNanos);
        try {
            CompletableFuture.anyOf(step, process.onExit()).get(Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException ex) {
            throw failStart("child '" + plan.name() + "' (pid " + pid() + ") did not " + what + " within startTimeout="
                + plan.startTimeout() + "; killed it", null);
        } catch (final ExecutionException ex) {
            // A failed step is examined by the caller.
        }
    }

    private ChildStartException failStart(final String message, final Throwable cause) {
        process.destroyForcibly();
        awaitExitQuietly();
        control.forget(token);
        ControlServer.closeQuietly(channel);
        return new ChildStartException(message, cause);
    }

    private void awaitExitQuietly() {
        try {
            process.onExit().get(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException ignored) {
            // Best effort.
        }
    }

    private String exitedEarly(final String when) {
        awaitExitQuietly();
        drainOutput();
        final StringBuilder text = new StringBuilder("child '").append(plan.name()).append("' (pid ").append(pid())
            .append(") exited ").append(when);
        if (process.onExit().isDone()) {
            text.append(" with code ").append(process.onExit().join());
        }
        final List<String> err = stderr.tail();
        final List<String> out = stdout.tail();
        if (!err.isEmpty()) {
            text.append("; its stderr:\n  ").append(String.join("\n  ", err));
        }
        if (!out.isEmpty()) {
            text.append("\nits stdout:\n  ").append(String.join("\n  ", out));
        }
        if (err.isEmpty() && out.isEmpty()) {
            text.append("; it wrote no output");
        }
        if (err.stream().anyMatch(line -> line.contains(ChildMain.class.getName()))) {
            text.append("\nthe child's class path does not hold forklift-core: ").append(plan.classpath())
                .append("; ").append(ChildClasspath.HOW_TO_SET);
        }
        return text.toString();
    }

    private void drainOutput() {
        try {
            CompletableFuture.allOf(stdout.done(), stderr.done()).get(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException ignored) {
            // Whatever arrived is used.
        }
    }

    private void startReader() {
        readerStarted = true;
        DaemonThreads.start("forklift-control-" + plan.name(), this::readLoop);
    }

    private void readLoop() {
        try {
            Frames.Frame frame;
            while ((frame = Frames.read(channel)) != null) {
                switch (frame.type()) {
                    case Frames.READY -> {
                        StartupTrace.stamp("ready: " + plan.name());
                        ready.complete(null);
                    }
                    case Frames.START_FAILED -> ready.completeExceptionally(startFailure(frame));
                    case Frames.OUTCOME_SUCCESS, Frames.OUTCOME_FAILURE -> outcome.complete(frame);
                    case Frames.OUTPUT_LINE -> Frames.OutputLine.deliver(frame.payload(), stdout, stderr);
                    default -> { }
                }
            }
        } catch (final IOException ignored) {
            // Same as end-of-stream: the child is gone.
        }
        ready.completeExceptionally(new ConnectionClosed());
        outcome.complete(null);
    }

    private ChildStartException startFailure(final Frames.Frame frame) {
        try {
            final ThrowableEnvelope envelope = (ThrowableEnvelope) Serialization.fromBytes(frame.payload());
            final Throwable original = envelope.decode();
            return new ChildStartException("child '" + plan.name() + "' (pid " + pid() + ") could not start: "
                + envelope.message(), original != null ? original : new ChildStartException(envelope.message()));
        } catch (final IOException | ClassNotFoundException | RuntimeException ex) {
            return new ChildStartException("child '" + plan.name() + "' (pid " + pid()
                + ") could not start and its report could not be decoded: " + ex, ex);
        }
    }

    private void finish() {
        final int code = process.onExit().join();
        archive.childExited(code);
        Frames.Frame reported = null;
        if (readerStarted) {
            try {
                reported = outcome.get(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException | ExecutionException | TimeoutException ignored) {
                // No outcome.
            }
        }
        drainOutput();
        Optional<RemoteTaskException> failure = Optional.empty();
        if (reported != null && reported.type() == Frames.OUTCOME_FAILURE) {
            failure = Optional.of(decodeFailure(reported));
        }
        final boolean outcomeReported = reported != null;
        final OptionalInt signal = !outcomeReported && code > 128 && code < 160
            ? OptionalInt.of(code - 128) : OptionalInt.empty();
        final ExitStatus status = new ExitStatus(code, signal, failure, outcomeReported);
        finalItemsDone = row.itemsDone();
        finalState = status.isSuccess() ? "exited" : signal.isPresent() ? "killed" : "failed";
        row.state(finalState);
        control.forget(token);
        ControlServer.closeQuietly(channel);
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "child ''{0}'' (pid {1}) ended: {2}", plan.name(),
                Long.toString(process.pid()), status);
        }
        exit.complete(status);
    }

    private RemoteTaskException decodeFailure(final Frames.Frame frame) {
        try {
            return ((ThrowableEnvelope) Serialization.fromBytes(frame.payload())).toRemoteTaskException(plan.name(),
                pid());
        } catch (final IOException | ClassNotFoundException | RuntimeException ex) {
            return new RemoteTaskException(plan.name(), pid(), "unknown", "the child's exception could not be"
                + " decoded: " + ex, new StackTraceElement[0], ex);
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return plan.name();
    }

    @Override
    public String role() {
        return plan.role();
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public boolean join(final Duration timeout) throws InterruptedException {
        try {
            exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (final TimeoutException ex) {
            return false;
        } catch (final ExecutionException ex) {
            throw new IllegalStateException("exit status of child '" + name() + "' failed", ex.getCause());
        }
    }

    @Override
    public ExitStatus joinAndCheck(final Duration timeout) throws TimeoutException, InterruptedException {
        if (!join(timeout)) {
            throw new TimeoutException("child '" + name() + "' (pid " + pid() + ") still runs after " + timeout);
        }
        final ExitStatus status = exit.join();
        if (!status.isSuccess()) {
            throw new ChildFailedException(name(), pid(), status);
        }
        return status;
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(exit.getNow(null));
    }

    @Override
    public int exitCode() {
        return exitStatus().orElseThrow(() -> new IllegalStateException("child '" + name() + "' (pid " + pid()
            + ") still runs")).exitCode();
    }

    @Override
    public OptionalInt signal() {
        return exitStatus().map(ExitStatus::signal).orElse(OptionalInt.empty());
    }

    @Override
    public Optional<RemoteTaskException> failure() {
        return exitStatus().flatMap(ExitStatus::failure);
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    @Override
    public long itemsDone() {
        return exit.isDone() ? finalItemsDone : row.itemsDone();
    }

    @Override
    public long lastHeartbeatEpochMs() {
        return row.heartbeatMs();
    }

    @Override
    public WorkStamp workStamp() {
        return exit.isDone() ? WorkStamp.NONE : row.workStamp();
    }

    @Override
    public String state() {
        return exit.isDone() ? finalState : row.text()[2];
    }

    @Override
    public void terminate(final Duration grace) {
        if (exit.isDone()) {
            return;
        }
        process.destroy();
        try {
            if (!join(grace)) {
                kill();
            }
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void kill() {
        killedByParent = true;
        if (exit.isDone()) {
            return;
        }
        process.destroyForcibly();
        try {
            join(Duration.ofMillis(KILL_WAIT_MS));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return true when this child's JVM writes the class-data archive of its key at its exit
     *     ({@code -XX:ArchiveClassesAtExit}): killing it loses the archive, so only a failure or a deadline should.
     */
    public boolean writesArchiveAtExit() {
        return archive.dumpTarget() != null;
    }

    /**
     * Kills through the {@link Process} this handle started: the JDK signals it only while it has not been reaped
     * (and only if its start time still matches), so a pid reused by another process after the child's exit is
     * never signalled.
     */
    @Override
    public void killNow() {
        if (!exit.isDone()) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (isAlive()) {
            terminate();
        }
    }

    /** The control connection ended before the child reported ready or a start failure. */
    private static final class ConnectionClosed extends ChildStartException {
        private static final long serialVersionUID = 1L;

        ConnectionClosed() {
            super("control connection closed");
        }
    }

    @Override
    public String toString() {
        return "ChildProcess[name=" + name() + ", role=" + role() + ", pid=" + pid() + ", "
            + exitStatus().map(ExitStatus::toString).orElse("alive") + ']';
    }
}
