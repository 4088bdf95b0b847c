package dev.forklift.process.internal;

import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A warm worker JVM leased from the user's warm host ({@link WarmHostClient}): a child of the host, so this process
 * learns its exit code from the host (which reaps it and sends the code on the lease's connection). When the host
 * is gone first, the exit is learnt from the process handle and the code is -1 (unknown). Its output reaches this
 * process as control frames ({@link Frames#OUTPUT_LINE}), not as pipes.
 *
 * <p>Internal; not API. Thread-safe.
 */
final class WarmProcess implements OsProcess {
    /** How long the exit code from the host is waited for once the process is seen gone. */
    private static final long HOST_CODE_WAIT_MS = 500;

    private final long pid;
    private final Optional<ProcessHandle> handle;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    WarmProcess(final long pid) {
        this.pid = pid;
        this.handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            exit.complete(-1);
        } else {
            handle.get().onExit().thenRun(() -> exit.completeOnTimeout(-1, HOST_CODE_WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** @param code the exit code the host reaped. */
    void exited(final int code) {
        exit.complete(code);
    }

    /** The host's connection ended: the code will not come from it. */
    void hostGone() {
        handle.ifPresent(h -> h.onExit().thenRun(() -> exit.complete(-1)));
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone() && handle.map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void destroy() {
        if (!exit.isDone()) {
            handle.ifPresent(ProcessHandle::destroy);
        }
    }

    @Override
    public void destroyForcibly() {
        if (!exit.isDone()) {
            handle.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public InputStream stdout() {
        return null;
    }

    @Override
    public InputStream stderr() {
        return null;
    }
}
