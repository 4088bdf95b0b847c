package dev.forklift.process.internal;

import dev.forklift.queue.Queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The main class of a warm worker JVM, started by the user's warm host ({@link WarmHostMain}) before any parent
 * needs it. It does the start-up work every child does (the JVM's boot, NIO and Unix-domain socket classes, Java
 * serialization, the task classes its host has been asked for), walks its young generation once
 * ({@link #touchYoungGeneration}), waits for its JIT to finish compiling what that ran
 * ({@link #awaitCompilerQuiet}), then says it is ready and waits for one line on its standard input, a pipe from the
 * host: {@code <control socket> <token>}. It then lives as a child of that parent ({@link ChildMain}), its output sent
 * as control frames. End of its input without a line (the host stopped, or died, however it died) makes it exit once
 * its warming is done: a warm worker never outlives its host unleased.
 *
 * <p><b>Leased while warming.</b> A thread reads its standard input from the start, beside the warming. A host with
 * no ready spare may hand out one still warming ({@link WarmHostMain}): the line then comes early, and the warming
 * stops at its next step (between the rehearsals, in the young generation's walk, in the wait for a quiet JIT), so
 * the worker runs its task at once instead of finishing a rehearsal nobody waits for.
 *
 * <p>Internal; not API.
 */
public final class WarmWorkerMain {
    /** System property: comma-separated classes to load and initialise while warming (the host's hint). */
    static final String PRELOAD_PROPERTY = "forklift.warm.preload";
    /** What a warm worker writes on its standard output once warm: from then on its host hands it out. */
    static final String READY_LINE = "forklift-warm-ready";

    /**
     * Threads a spare starts while it warms and keeps ({@link DaemonThreads#prestart}), so that once leased its
     * parent's watch (and any other thread of Forklift's in the worker) starts without waiting for a CPU.
     */
    static final int SPARE_THREADS = 2;
    /** How long the JIT must have finished no compilation before a spare says it is warm, ms. */
    static final long COMPILER_QUIET_MS = 100;
    /** The longest a spare waits for its JIT to be quiet, ms. */
    static final long COMPILER_WAIT_MAX_MS = 3_000;
    /** The most a spare allocates to walk its young generation once ({@link #touchYoungGeneration}), bytes. */
    static final long YOUNG_WALK_MAX_BYTES = 64L << 20;
    /** System property of a spare: {@code false} skips the walk of its young generation. */
    static final String YOUNG_WALK_PROPERTY = "forklift.warm.touchYoung";
    /** Keeps the walk's allocations from being optimised away. */
    private static volatile Object walkSink;
    /**
     * The line of standard input ({@link #listenForLease}): {@code <control socket> <token>}, or empty at end of
     * input. Never completed in a JVM that does not run {@link #main} (tests calling the steps, training runs).
     */
    private static final CompletableFuture<String> ASSIGNMENT = new CompletableFuture<>();

    private WarmWorkerMain() {
    }

    /**
     * Waits until the JIT has finished no compilation for {@code quietMs}, at most {@code maxMs}: warming queues
     * compilations of what it ran, and a spare that said it was warm while they still ran gave them to the CPU its
     * lease needed (measured: a pool built right after its spares became ready spent 86 ms of the workers' CPU in its
     * start, against 52 ms with 200 ms of rest between, at load 2 and 5). Returns at once when the JVM does not
     * report compilation time.
     *
     * @return true when the JIT was quiet, false when the wait gave up.
     */
    static boolean awaitCompilerQuiet(final long quietMs, final long maxMs) {
        final CompilationMXBean jit = ManagementFactory
            .getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return true;
        }
        final long start = System.nanoTime();
        long total = jit.getTotalCompilationTime();
        long quietSince = start;
        while (true) {
            final long now = System.nanoTime();
            if (now - quietSince >= quietMs * 1_000_000L) {
                return true;
            }
            if (now - start >= maxMs * 1_000_000L || leasedWhileWarming()) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
            final long latest = jit.getTotalCompilationTime();
            if (latest != total) {
                total = latest;
                quietSince = System.nanoTime();
            }
        }
    }

    /**
     * Allocates garbage until the young generation has been collected once (at most {@code maxBytes}), so that every
     * page of it has been touched while the spare waits: a JVM maps its heap lazily, and until its first collection
     * each new allocation lands on pages it never used, one page fault each. A leased worker allocated on such pages
     * all along its start (measured: 450 minor faults from its lease to its first result, 260 of them in the result
     * writer's 1 MiB buffer, 4 to 7 ms at load 9); after the first collection, allocation starts again at the bottom
     * of the young generation, on pages already there. Costs the young generation's size in resident memory, which a
     * worker uses anyway once it runs.
     *
     * @param maxBytes the most to allocate.
     * @return true when a collection was seen, false when the limit came first (or the JVM counts none).
     */
    static boolean touchYoungGeneration(final long maxBytes) {
        final List<GarbageCollectorMXBean> collectors = ManagementFactory
            .getGarbageCollectorMXBeans();
        final long before = collections(collectors);
        final int chunkBytes = 64 * 1024;
        for (long allocated = 0; allocated < maxBytes; allocated += chunkBytes) {
            walkSink = new byte[chunkBytes];
            if ((allocated & ((1 << 20) - 1)) == 0) {
                if (collections(collectors) != before) {
                    walkSink = null;
                    return true;
                }
                if (leasedWhileWarming()) {
                    break;
                }
            }
        }
        walkSink = null;
        return collections(collectors) != before;
    }

    private static long collections(final List<GarbageCollectorMXBean> collectors) {
        long count = 0;
        for (final GarbageCollectorMXBean collector : collectors) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }

    /**
     * @return true once the host has handed this spare out (its line came) while it still warms: the warming steps
     *     stop at their next check.
     */
    static boolean leasedWhileWarming() {
        final String line = ASSIGNMENT.getNow(null);
        return line != null && !line.isEmpty();
    }

    /** @return true once the host's line or the end of its input came (a spare only). */
    static boolean inputCame() {
        return ASSIGNMENT.isDone();
    }

    /** Reads the host's line on a daemon thread from the start, so that a lease made while warming is seen. */
    private static void listenForLease() {
        DaemonThreads.start("forklift-warm-lease", () -> {
            String line;
            try {
                line = readLine(System.in);
            } catch (final IOException | RuntimeException ex) {
                line = "";
            }
            if (!line.isEmpty()) {
                StartupTrace.stamp("warm worker line read");
            }
            ASSIGNMENT.complete(line);
        });
    }

    /** @param args none. */
    public static void main(final String[] args) {
        StartupTrace.stamp("warm worker main");
        listenForLease();
        warm();
        if (!leasedWhileWarming() && !"false".equalsIgnoreCase(System.getProperty(YOUNG_WALK_PROPERTY, "true"))) {
            touchYoungGeneration(YOUNG_WALK_MAX_BYTES);
        }
        if (!leasedWhileWarming()) {
            awaitCompilerQuiet(COMPILER_QUIET_MS, COMPILER_WAIT_MAX_MS);
        }
        if (leasedWhileWarming()) {
            StartupTrace.stamp("warm worker leased while warming");
        } else {
            StartupTrace.stamp("warm worker warmed");
            System.out.println(READY_LINE);
            System.out.flush();
        }
        final String line = ASSIGNMENT.join();
        final int space = line.indexOf(' ');
        if (space <= 0) {
            System.exit(0); // the host let it go
            return;
        }
        System.setIn(new ByteArrayInputStream(new byte[0]));
        StartupTrace.stamp("warm worker leased");
        ChildMain.run(line.substring(0, space), line.substring(space + 1), true);
    }

    /**
     * Loads what every child loads before its task runs, so that a leased worker starts at its handshake: the
     * Unix-domain socket and the control connection's frames ({@link ChildRehearsal#rehearseConnection}), Java
     * serialization of a spec and of a lambda, a queue attached through its serialized form as a task's argument
     * is (with a put and a take), the status board's classes and the logging back end.
     * Then, for each class of the host's hint ({@link #PRELOAD_PROPERTY}, the task classes parents asked for), it
     * loads the class and, when it declares {@code public static void warmUp()}, calls it: how a task whose own
     * start loads many classes (a pool's worker) rehearses it here, before any parent waits for it. Stops between
     * these steps once the spare was leased ({@link #leasedWhileWarming}).
     */
    static void warm() {
        DaemonThreads.prestart(SPARE_THREADS);
        try {
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
            final ChildSpec sample = new ChildSpec("warm", "warm", 1, null, null,
                Serialization.toBytes(new Object[] {1, "x", new byte[1]}), new String[0], "/", 0);
            ChildSpec.decode(sample.encode());
            Serialization.fromBytes(sample.argsBytes(), Serialization.allowListOf(java.util.Set.of()));
            Class.forName(ChildMain.class.getName(), true, WarmWorkerMain.class.getClassLoader());
            // A pool ships its function as a serializable lambda: decoding the first one in a JVM spins its
            // method handles and lambda forms.
            final Runnable lambda = (Runnable & java.io.Serializable) () -> { };
            ((Runnable) Serialization.fromBytes(Serialization.toBytes(lambda))).run();
        } catch (final Exception | LinkageError ignored) {
            // Warming is an optimisation only.
        }
        if (leasedWhileWarming()) {
            return;
        }
        StartupTrace.stamp("warm worker step: boot classes");
        rehearseQueue();
        StartupTrace.stamp("warm worker step: queue");
        if (leasedWhileWarming()) {
            return;
        }
        try {
            ChildRehearsal.rehearseConnection();
        } catch (final IOException | RuntimeException | LinkageError ignored) {
            // Warming is an optimisation only: the leased worker connects as a launched child does.
        }
        StartupTrace.stamp("warm worker step: connection");
        for (final Class<?> type : List.of(StatusBoard.class, StatusRow.class, SelfRow.class,
            StatusBoardDescriptor.class, ChildTaskContext.class, FramedOutput.class, Frames.class)) {
            initialise(type.getName());
        }
        for (final String name : System.getProperty(PRELOAD_PROPERTY, "").split(",")) {
            if (!name.isBlank() && !leasedWhileWarming()) {
                final Class<?> type = initialise(name.strip());
                if (type != null) {
                    callWarmUp(type);
                }
            }
        }
    }

    /** A queue made here, attached again through its serialized form (as a child's argument), one put and take. */
    private static void rehearseQueue() {
        // The queue made here registers the flight recorder's listener: now, while spare, not once leased.
        System.setProperty(dev.forklift.queue.internal.QueueFlightEvents.HOOK_DELAY_PROPERTY, "0");
        try (Queue<byte[]> made = Queue.builder(byte[].class).name("warm-rehearsal").capacity(2).build()) {
            @SuppressWarnings("unchecked")
            final Queue<byte[]> attached = (Queue<byte[]>) Serialization.fromBytes(Serialization.toBytes(made));
            try (attached) {
                attached.put(new byte[8]);
                made.take();
            }
        } catch (final Exception | LinkageError ignored) {
            // Warming is an optimisation only (a full shared-memory directory, say): the leased task loads it.
        }
        System.getLogger("dev.forklift.process").isLoggable(System.Logger.Level.DEBUG); // the logging back end
    }

    /** @return the class, loaded and initialised, or null when it is not on this class path or fails. */
    private static Class<?> initialise(final String name) {
        try {
            return Class.forName(name, true, ClassLoader.getSystemClassLoader());
        } catch (final Exception | LinkageError ignored) {
            return null; // not on this class path: the task's own start loads what it needs
        }
    }

    private static void callWarmUp(final Class<?> type) {
        try {
            final Method warmUp = type.getDeclaredMethod("warmUp");
            if (Modifier.isStatic(warmUp.getModifiers()) && Modifier.isPublic(warmUp.getModifiers())
                && warmUp.getParameterCount() == 0) {
                warmUp.invoke(null);
            }
        } catch (final NoSuchMethodException ignored) {
            // Nothing to rehearse.
        } catch (final Exception | LinkageError ignored) {
            // A rehearsal that fails changes nothing: the leased task starts as it would have.
        }
    }

    /** @return one line of at most 4 KiB, empty at end of stream. */
    static String readLine(final InputStream in) throws IOException {
        final byte[] bytes = new byte[4096];
        int length = 0;
        int next;
        while ((next = in.read()) != -1 && next != '\n') {
            if (length == bytes.length) {
                throw new IOException("assignment line longer than " + bytes.length + " bytes");
            }
            bytes[length++] = (byte) next;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
