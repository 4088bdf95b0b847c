package dev.forklift.process.internal;

import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Warm workers leased before their children exist: a pool with warm workers asks its key's warm host for them
 * first thing in its build, on a background thread, so that the lease's round trip and the workers' connecting
 * back (their hello) happen while the pool makes its queues and launch plans; when the plans are made, the
 * children take the workers already connected and get their specs at once.
 *
 * <p>A child takes a spare of this prelease ({@link #claim}) when it may run in a warm worker
 * ({@link WarmHostClient#eligible}) and its java, class path and JVM options make the key the spare was leased for;
 * otherwise it is leased or launched as before. Spares no child took are killed by {@link #close()}, and their
 * tokens forgotten. When the key has no live host, nothing is leased here (the ordinary lease starts the host).
 *
 * <p>Called in the parent: {@link #start} on the thread that builds a pool, {@link #claim} on the starting thread,
 * {@link #close} by the pool once its first workers were started. Thread-safe; {@link #claim} waits for the answer of
 * every lease still under way (the host answers at once; at most {@link #ANSWER_WAIT_MS} ms each), so a pool makes
 * its plans while the host answers. Internal; not API.
 */
public final class WarmPrelease implements AutoCloseable {
    /** The longest a claim waits for the host's answer before the child is leased or launched as before. */
    static final long ANSWER_WAIT_MS = 5_000;
    /** System property of a parent: {@code false} turns preleasing off. */
    public static final String ENABLED_PROPERTY = "forklift.warm.prelease";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Unclaimed spares of every prelease of this process, once their lease was answered. */
    private static final ConcurrentLinkedQueue<Spare> OFFERED = new ConcurrentLinkedQueue<>();
    private static final WarmPrelease NONE = new WarmPrelease(false, CompletableFuture.completedFuture(List.of()), 0,
        null, List.of());
    /**
     * Preleases whose lease is not answered yet: a claim waits for them ({@link #claim}), so that a pool makes its
     * children's plans (their arguments serialized) while the host answers, instead of waiting for the answer first.
     */
    private static final ConcurrentLinkedQueue<WarmPrelease> UNANSWERED = new ConcurrentLinkedQueue<>();
    /** Preleases a command line made before its pool was configured ({@link #startEarly}), not yet adopted. */
    private static final ConcurrentLinkedQueue<WarmPrelease> EARLY = new ConcurrentLinkedQueue<>();

    /** False for {@link #NONE}: nothing was asked. */
    private final boolean asked;
    private final CompletableFuture<List<Spare>> leased;
    /** What was asked for (for the adoption of an early prelease by the pool it was made for). */
    private final int count;
    private final String classpath;
    private final List<String> jvmOptions;

    /**
     * One leased worker: told its token and the control socket, connecting back on its own.
     *
     * @param key        the warm key it was leased for.
     * @param token      its token, registered with the control server.
     * @param connection completed by its hello.
     * @param process    the leased process.
     */
    record Spare(String key, String token, CompletableFuture<SocketChannel> connection, WarmProcess process) {
        void discard() {
            process.destroyForcibly();
            ControlServer.get().forget(token);
            connection.thenAccept(ControlServer::closeQuietly);
        }
    }

    private WarmPrelease(final boolean asked, final CompletableFuture<List<Spare>> leased, final int count,
        final String classpath, final List<String> jvmOptions) {
        this.asked = asked;
        this.leased = leased;
        this.count = count;
        this.classpath = classpath;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * Leases {@code count} warm workers in the background when the key's host is live; leases nothing when
     * {@code count} is 0, when turned off ({@value #ENABLED_PROPERTY}{@code =false}) or when no host runs.
     *
     * @param count      how many.
     * @param classpath  the children's class path, or null for the one a child gets by default (from this thread's
     *                   context class loader).
     * @param jvmOptions their JVM options, without Forklift's defaults.
     * @param taskClass  the task class they will run (the host's hint for its next spares).
     * @return the prelease; close it once the children were started.
     */
    public static WarmPrelease start(final int count, final String classpath, final List<String> jvmOptions,
        final String taskClass) {
        if (count <= 0 || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return NONE;
        }
        for (final WarmPrelease early : EARLY) {
            if (early.count >= count && java.util.Objects.equals(early.classpath, classpath)
                && early.jvmOptions.equals(jvmOptions) && EARLY.remove(early)) {
                StartupTrace.stamp("prelease adopted");
                return early; // asked before the pool was configured: its spares are this pool's
            }
        }
        // The key (a digest over the class path's entries, each stat'ed) and the host's socket (a listing of the
        // shared-memory directory) are found on the launcher thread too, beside the pool's set-up.
        final ClassLoader loader = Thread.currentThread().getContextClassLoader();
        final CompletableFuture<List<Spare>> leased = CompletableFuture.supplyAsync(() -> {
            try {
                final String path = classpath != null ? classpath : ChildClasspath.forChild(loader);
                StartupTrace.stamp("prelease: thread");
                final Optional<String> key = WarmHostClient.key(Launcher.javaBinary(), path, jvmOptions);
                StartupTrace.stamp("prelease: key");
                if (key.isEmpty()) {
                    return List.<Spare>of();
                }
                final Optional<Path> socket = WarmHostClient.socketOf(key.get());
                return socket.isEmpty() ? List.<Spare>of() : lease(key.get(), socket.get(), count, taskClass);
            } catch (final RuntimeException ex) {
                return List.<Spare>of(); // preleasing is an optimisation only: the launches lease the usual way
            }
        }, Launches.LAUNCHERS);
        final WarmPrelease prelease = new WarmPrelease(true, leased, count, classpath, jvmOptions);
        UNANSWERED.add(prelease);
        leased.whenComplete((spares, failure) -> UNANSWERED.remove(prelease));
        return prelease;
    }

    /**
     * As {@link #start}, for a command line that knows its pool's workers before the pool is configured (the lease's
     * round trip and the workers' hello then happen while it parses its options): the first pool this process
     * builds with warm workers of the same class path and JVM options, and at most {@code count} of them, adopts
     * this prelease ({@link #start} returns it) instead of leasing again. Close it once the command has run (the
     * pool that adopted it closes it too; spares no child took are killed).
     *
     * @param count      how many.
     * @param classpath  the pool's workers' class path, or null for the default (this thread's context class loader).
     * @param jvmOptions their JVM options, without Forklift's defaults, exactly as the pool will give them.
     * @param taskClass  the task class they will run (the host's hint for its next spares).
     * @return the prelease.
     */
    public static WarmPrelease startEarly(final int count, final String classpath, final List<String> jvmOptions,
        final String taskClass) {
        final WarmPrelease prelease = start(count, classpath, jvmOptions, taskClass);
        if (prelease.asked) {
            EARLY.add(prelease);
        }
        return prelease;
    }

    private static List<Spare> lease(final String key, final Path socket, final int count, final String taskClass) {
        StartupTrace.stamp("prelease: host found");
        final ControlServer control = ControlServer.get();
        StartupTrace.stamp("prelease: control server");
        final List<String> tokens = new ArrayList<>();
        final List<CompletableFuture<SocketChannel>> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final byte[] secret = new byte[16];
            RANDOM.nextBytes(secret);
            final String token = HexFormat.of().formatHex(secret);
            tokens.add(token);
            connections.add(control.expect(token));
        }
        StartupTrace.stamp("prelease asked");
        final List<WarmProcess> processes = WarmHostClient.take(socket, tokens, control.path(), taskClass);
        final List<Spare> spares = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (processes.get(i) != null) {
                final Spare spare = new Spare(key, tokens.get(i), connections.get(i), processes.get(i));
                spares.add(spare);
                OFFERED.add(spare);
            } else {
                control.forget(tokens.get(i));
            }
        }
        StartupTrace.stamp("prelease answered: " + spares.size());
        return spares;
    }

    /**
     * Waits first for every prelease of this process still unanswered (each at most {@link #ANSWER_WAIT_MS}).
     *
     * @param plan a child about to be started.
     * @return a spare leased for the plan's key, now the caller's, or null (then lease or launch as usual).
     */
    static Spare claim(final LaunchPlan plan) {
        if (!WarmHostClient.eligible(plan)) {
            return null;
        }
        final Optional<String> key = WarmHostClient.keyOf(plan);
        if (key.isEmpty()) {
            return null;
        }
        for (final WarmPrelease pending : UNANSWERED) {
            pending.awaitAnswer();
        }
        for (final Iterator<Spare> it = OFFERED.iterator(); it.hasNext(); ) {
            final Spare spare = it.next();
            if (spare.key().equals(key.get()) && OFFERED.remove(spare)) {
                if (spare.process().isAlive()) {
                    return spare;
                }
                spare.discard();
            }
        }
        return null;
    }

    /**
     * Waits (up to {@link #ANSWER_WAIT_MS}) for this prelease's lease to be answered, so that {@link #claim} sees
     * its spares.
     */
    public void awaitAnswer() {
        if (!asked) {
            return;
        }
        try {
            leased.get(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException ex) {
            // Claims find nothing: the children lease or launch as usual.
        }
    }

    /** Kills the spares of this prelease that no child took. Idempotent; waits for a lease still under way. */
    @Override
    public void close() {
        if (!asked) {
            return;
        }
        EARLY.remove(this);
        leased.whenComplete((spares, failure) -> {
            if (spares != null) {
                for (final Spare spare : spares) {
                    if (OFFERED.remove(spare)) {
                        spare.discard();
                    }
                }
            }
        });
    }
}
