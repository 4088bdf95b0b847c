package dev.forklift.process;

import dev.forklift.process.internal.Launcher;
import dev.forklift.process.internal.WarmHostClient;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The user's warm hosts, seen from a parent: one per key (the java binary and version, a class path with the size
 * and time of each entry, and JVM options), each keeping spare child JVMs for {@link ChildProcessBuilder#warm}
 * children of that key. For callers that want the spares ready before a latency-sensitive start, for tests, and for
 * tools that stop a host. Callable from any thread of any process of the user; every call talks to the host over
 * its socket in the shared-memory directory and blocks at most as long as said.
 */
public final class WarmHosts {
    private WarmHosts() {
    }

    /**
     * Starts the host of a key if none runs, and waits until it holds {@code count} spare JVMs.
     *
     * @param classpath  the children's class path.
     * @param jvmOptions their JVM options, exactly as the children get them.
     * @param count      how many spares to wait for (the host keeps at most 16).
     * @param timeout    the longest wait.
     * @return true once they are there; false at the timeout or when the class path has an entry that does not exist.
     */
    public static boolean warmUp(final String classpath, final List<String> jvmOptions, final int count,
        final Duration timeout) {
        return WarmHostClient.warmUp(classpath, jvmOptions, count, timeout);
    }

    /**
     * @param classpath  the children's class path.
     * @param jvmOptions their JVM options.
     * @return the pids of the spare JVMs of the key's host; empty when no host runs.
     */
    public static List<Long> sparePids(final String classpath, final List<String> jvmOptions) {
        return key(classpath, jvmOptions).map(WarmHostClient::sparePids).orElse(List.of());
    }

    /**
     * Stops the key's host: its spare JVMs exit; children it handed out run on for their parents.
     *
     * @param classpath  the children's class path.
     * @param jvmOptions their JVM options.
     * @return true if a host ran and was told.
     */
    public static boolean stop(final String classpath, final List<String> jvmOptions) {
        return key(classpath, jvmOptions).map(WarmHostClient::stopHost).orElse(false);
    }

    private static Optional<String> key(final String classpath, final List<String> jvmOptions) {
        return WarmHostClient.key(Launcher.javaBinary(), classpath, jvmOptions);
    }
}
