package dev.forklift.cli.demo;

import dev.forklift.process.ChildProcess;

import java.util.List;

/**
 * Stops a command's child processes at once when its JVM is asked to exit (Ctrl-C, SIGTERM), as {@code forklift
 * run}'s pool does, instead of leaving them running until they notice their parent is gone. Registered by the
 * command on the parent's main thread once its children have started, and closed (unregistered) when it ends
 * normally. The shutdown hook kills every child (SIGKILL) and waits until each is gone, so that none outlives the
 * parent.
 */
final class ChildrenStopper implements AutoCloseable {
    private final Thread hook;
    private volatile boolean stopping;

    /**
     * @param children the children to stop when this JVM exits.
     */
    ChildrenStopper(final List<ChildProcess> children) {
        final List<ChildProcess> stopped = List.copyOf(children);
        this.hook = new Thread(() -> {
            stopping = true;
            stopped.forEach(ChildProcess::kill);
        }, "forklift-demo-stop-children");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** @return true once the JVM is exiting and the children are being stopped: their deaths are no failure. */
    boolean stopping() {
        return stopping;
    }

    /** Unregisters the hook (the command stops its children itself). Idempotent; a no-op once exiting. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException | IllegalArgumentException ignored) {
            // Already exiting (the hook runs), or already removed.
        }
    }
}
