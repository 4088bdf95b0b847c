package dev.forklift.process.internal;

import dev.forklift.shm.SharedMemoryDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The user's warm host for one key (java binary, JVM version, class path, JVM options): a JVM that keeps spare warm
 * worker JVMs ({@link WarmWorkerMain}) started and hands them to parents that ask ({@link WarmHostClient}), like a
 * build tool's daemon. Started by the first parent that asks for warm children of the key, detached from it (its own
 * session), and stopped by itself once no parent has asked for {@code idleMs} and none of the workers it handed out
 * still runs.
 *
 * <p><b>Socket.</b> A Unix-domain socket in the user's shared-memory directory (mode 0700, see {@link
 * SharedMemoryDirectory}), an owned file of kind {@value #KIND} named by the key, so that a parent finds it with
 * {@link SharedMemoryDirectory#liveFileNamed} and the next Forklift process deletes it if the host died by
 * {@code kill -9}. Only processes of the same user can connect. Requests, one per connection, in lines of UTF-8:
 * <ul>
 *   <li>{@code TAKE <n> <control socket> <task class>}, then {@code n} token lines: for each token one spare
 *   worker, if there is one, is told the socket and token on its standard input; the answer is one line of
 *   {@code n} pids (0 where none was spare). The connection then stays open and gets {@code EXIT <pid> <code>}
 *   when each worker handed out ends (the host is its parent and reaps it).</li>
 *   <li>{@code STATUS}: one line {@code spare <pid>...}.</li>
 *   <li>{@code STOP}: the host stops its spare workers and exits; the answer is {@code stopping}.</li>
 * </ul>
 *
 * <p><b>Spares still warming.</b> A lease that finds fewer ready spares than it asks for gets the host's spares that
 * are still booting or warming (oldest first) rather than nothing: such a worker reads its line beside its warming,
 * stops warming at its next step and runs its task ({@link WarmWorkerMain}). A job that comes back before its last
 * lease's replacements are ready then takes them half warm instead of launching cold JVMs beside them, four JVMs
 * booting on the cores where two would do. Off with {@value #LEASE_BOOTING_PROPERTY}{@code =false} in the host's
 * JVM (its client passes the parent's setting on).
 *
 * <p><b>One spare beyond the largest lease.</b> After a lease of {@code n} the host keeps {@code n + 1} spares: a job
 * that comes back before the replacements of its last lease are ready still finds one ready, and a pool starts on
 * its first worker ready. Off with {@value #SPARE_BEYOND_LEASE_PROPERTY}{@code =false} (as many as the largest
 * lease); costs one spare JVM's memory.
 *
 * <p><b>No orphans.</b> A spare worker exits when its standard input ends, which the kernel does however the host
 * dies. A worker handed out lives as the child of the parent that took it and halts when that parent is gone. A
 * spare that dies young three times running stops the host from starting more (no crash loop).
 *
 * <p>Command line: {@code <key> <idleMs> <spare> <java> <classpath> [jvm options...]}. Internal; not API.
 */
public final class WarmHostMain {
    /** Kind of the host's socket in the shared-memory directory. */
    static final String KIND = "warmhost";
    /** Most spare workers a host keeps. */
    static final int MAX_SPARE = 16;
    private static final long YOUNG_DEATH_MS = 2_000;
    /**
     * How long after handing workers out the host starts their replacements: a JVM booting at once would take CPU
     * from the workers just leased and their parent while they start (on 2 cores, a third of the machine).
     */
    static final long REPLENISH_DELAY_MS = 500;
    private static final int MAX_YOUNG_DEATHS = 3;
    /** System property of the host: {@code false} hands out ready spares only, never one still warming. */
    static final String LEASE_BOOTING_PROPERTY = "forklift.warm.leaseBooting";
    /** System property of the host: {@code false} keeps as many spares as the largest lease, not one more. */
    static final String SPARE_BEYOND_LEASE_PROPERTY = "forklift.warm.spareBeyondLease";

    private final String key;
    private final long idleNanos;
    private final String javaBinary;
    private final String classpath;
    private final List<String> jvmOptions;
    private final Path socket;
    private final ServerSocketChannel server;
    private final ArrayDeque<Process> spare = new ArrayDeque<>();
    /** Spares started and not ready yet (booting or warming), oldest first; each is also counted in starting. */
    private final ArrayDeque<Process> booting = new ArrayDeque<>();
    private final boolean leaseBooting = !"false".equalsIgnoreCase(System.getProperty(LEASE_BOOTING_PROPERTY));
    private final int beyondLease =
        "false".equalsIgnoreCase(System.getProperty(SPARE_BEYOND_LEASE_PROPERTY)) ? 0 : 1;
    private final Set<String> preload = new LinkedHashSet<>();
    private int wanted;
    private int starting;
    private int handedOutAlive;
    private int youngDeaths;
    private long lastUsedNanos = System.nanoTime();
    private volatile boolean stopping;

    private WarmHostMain(final String key, final long idleMs, final int wanted, final String javaBinary,
        final String classpath, final List<String> jvmOptions, final Path socket, final ServerSocketChannel server) {
        this.key = key;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
        this.wanted = wanted;
        this.javaBinary = javaBinary;
        this.classpath = classpath;
        this.jvmOptions = jvmOptions;
        this.socket = socket;
        this.server = server;
        for (final String name : System.getProperty(WarmWorkerMain.PRELOAD_PROPERTY, "").split(",")) {
            if (!name.isBlank()) {
                preload.add(name.strip()); // the task class of the parent that started this host
            }
        }
    }

    /** @param args see the class comment. */
    public static void main(final String[] args) throws IOException {
        final String key = args[0];
        final SharedMemoryDirectory directory = SharedMemoryDirectory.current();
        if (otherHost(directory, key).isPresent()) {
            return; // another host of this key is there already
        }
        final Path socket = directory.reserveOwnedPath(KIND, key, "sock");
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        final WarmHostMain host = new WarmHostMain(key, Long.parseLong(args[1]),
            Math.min(MAX_SPARE, Math.max(1, Integer.parseInt(args[2]))), args[3], args[4],
            List.copyOf(Arrays.asList(args).subList(5, args.length)), socket, server);
        final Thread watch = new Thread(host::watchLoop, "forklift-warm-watch");
        watch.setDaemon(true);
        watch.start();
        host.replenish();
        host.acceptLoop();
        host.shutDown();
    }

    /** @return the socket of another live host of the key with a lower pid than this one (so exactly one stays). */
    private static Optional<Path> otherHost(final SharedMemoryDirectory directory, final String key) {
        final long self = ProcessHandle.current().pid();
        for (final Path file : directory.liveFiles(KIND)) {
            final String name = file.getFileName().toString();
            final Optional<Long> owner = SharedMemoryDirectory.ownerPid(file);
            if (name.contains("-" + key + ".") && owner.isPresent() && owner.get() != self && owner.get() < self) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private void acceptLoop() {
        while (!stopping) {
            final SocketChannel connection;
            try {
                connection = server.accept();
            } catch (final IOException ex) {
                return; // closed: stopping
            }
            DaemonThreads.start("forklift-warm-request", () -> serve(connection));
        }
    }

    private void serve(final SocketChannel connection) {
        try {
            final BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection),
                StandardCharsets.UTF_8));
            final Writer out = Channels.newWriter(connection, StandardCharsets.UTF_8);
            final String request = in.readLine();
            if (request == null) {
                connection.close();
                return;
            }
            final String[] words = request.split(" ");
            switch (words[0]) {
                case "TAKE" -> take(connection, in, out, words);
                case "STATUS" -> {
                    out.write(status() + "\n");
                    out.flush();
                    connection.close();
                }
                case "STOP" -> {
                    out.write("stopping\n");
                    out.flush();
                    connection.close();
                    stop();
                }
                default -> connection.close();
            }
        } catch (final IOException | RuntimeException ex) {
            ControlServer.closeQuietly(connection);
        }
    }

    private void take(final SocketChannel connection, final BufferedReader in, final Writer out, final String[] words)
        throws IOException {
        final int count = Integer.parseInt(words[1]);
        if (count < 1 || count > 256 || words.length != 4 || !Path.of(words[2]).isAbsolute()) {
            connection.close();
            return;
        }
        final List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String token = in.readLine();
            if (token == null || token.isEmpty() || token.length() > Frames.MAX_HELLO_BYTES || token.contains(" ")) {
                connection.close();
                return;
            }
            tokens.add(token);
        }
        final List<Process> handedOut = new ArrayList<>();
        final StringBuilder answer = new StringBuilder();
        synchronized (this) {
            lastUsedNanos = System.nanoTime();
            wanted = Math.min(MAX_SPARE, Math.max(wanted, count + beyondLease));
            preload.add(words[3]);
            for (final String token : tokens) {
                final Process worker = handOut(words[2], token);
                answer.append(answer.length() == 0 ? "" : " ").append(worker == null ? 0 : worker.pid());
                if (worker != null) {
                    handedOut.add(worker);
                    handedOutAlive++;
                }
            }
        }
        final Object writeLock = new Object();
        synchronized (writeLock) {
            out.write(answer + "\n");
            out.flush();
        }
        final int[] left = {handedOut.size()};
        for (final Process worker : handedOut) {
            worker.onExit().thenRun(() -> {
                synchronized (this) {
                    handedOutAlive--;
                    lastUsedNanos = System.nanoTime();
                }
                synchronized (writeLock) {
                    try {
                        out.write("EXIT " + worker.pid() + " " + worker.exitValue() + "\n");
                        out.flush();
                    } catch (final IOException ignored) {
                        // The parent is gone.
                    }
                    if (--left[0] == 0) {
                        ControlServer.closeQuietly(connection);
                    }
                }
            });
        }
        if (handedOut.isEmpty()) {
            connection.close();
            replenish();
        } else {
            replenishLater();
        }
    }

    /** Replenishes after {@link #REPLENISH_DELAY_MS}, on a daemon thread. */
    private void replenishLater() {
        final Thread later = new Thread(() -> {
            try {
                Thread.sleep(REPLENISH_DELAY_MS);
            } catch (final InterruptedException ex) {
                return;
            }
            replenish();
        }, "forklift-warm-replenish");
        later.setDaemon(true);
        later.start();
    }

    /**
     * Lock held: tells one live spare its parent, a ready one if there is one, else (unless turned off) the oldest
     * one still warming; null when none is there. A worker handed out has left both queues, so no other lease gets
     * it.
     */
    private Process handOut(final String controlSocket, final String token) {
        final String line = controlSocket + " " + token + "\n";
        while (!spare.isEmpty()) {
            final Process worker = spare.pollFirst();
            if (tell(worker, line)) {
                return worker;
            }
            worker.destroyForcibly(); // dead already, or about to be
        }
        if (!leaseBooting) {
            return null;
        }
        for (final Iterator<Process> it = booting.iterator(); it.hasNext(); ) {
            final Process worker = it.next();
            if (worker.isAlive() && tell(worker, line)) {
                it.remove();
                starting--;
                return worker;
            }
            worker.destroyForcibly(); // its reader sees its output end and counts the death (awaitReady)
        }
        return null;
    }

    /** @return true once the line was written to the worker's standard input (which is then closed). */
    private static boolean tell(final Process worker, final String line) {
        try (OutputStream stdin = worker.getOutputStream()) {
            stdin.write(line.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return true;
        } catch (final IOException ex) {
            return false;
        }
    }

    private synchronized String status() {
        final StringBuilder text = new StringBuilder("spare");
        spare.forEach(worker -> text.append(' ').append(worker.pid()));
        return text.toString();
    }

    /** Starts spare workers until {@code wanted} are spare or starting. */
    private void replenish() {
        while (true) {
            synchronized (this) {
                if (stopping || youngDeaths >= MAX_YOUNG_DEATHS || spare.size() + starting >= wanted) {
                    return;
                }
                starting++;
            }
            final Process worker = launchSpare();
            if (worker == null) {
                synchronized (this) {
                    starting--;
                    youngDeaths++;
                }
                continue;
            }
            final long startedNanos = System.nanoTime();
            synchronized (this) {
                booting.addLast(worker);
            }
            final Thread reader = new Thread(() -> awaitReady(worker, startedNanos), "forklift-warm-ready");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * Reads a starting worker's output: once it says it is warm it becomes spare (unless a lease took it while it
     * warmed); its output is then drained until it ends. Output that ends before, of a worker no lease took, counts
     * as a young death.
     */
    private void awaitReady(final Process worker, final long startedNanos) {
        boolean ready = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!ready && line.equals(WarmWorkerMain.READY_LINE)) {
                    ready = true;
                    becameReady(worker, startedNanos);
                }
            }
        } catch (final IOException ignored) {
            // Its output ended.
        }
        if (!ready) {
            final boolean unleased;
            synchronized (this) {
                unleased = booting.remove(worker);
                if (unleased) {
                    starting--;
                    youngDeaths++;
                }
            }
            if (unleased) {
                worker.destroyForcibly();
                replenish();
            }
        }
    }

    private void becameReady(final Process worker, final long startedNanos) {
        synchronized (this) {
            if (!booting.remove(worker)) {
                return; // leased while it warmed: its parent's now
            }
            starting--;
            if (stopping) {
                closeQuietly(worker);
                return;
            }
            spare.addLast(worker);
            lastUsedNanos = System.nanoTime(); // idle means ready and unused: counted from here
        }
        worker.onExit().thenRun(() -> spareExited(worker, startedNanos));
    }

    private void spareExited(final Process worker, final long startedNanos) {
        final boolean wasSpare;
        synchronized (this) {
            wasSpare = spare.remove(worker);
            if (wasSpare && System.nanoTime() - startedNanos < TimeUnit.MILLISECONDS.toNanos(YOUNG_DEATH_MS)) {
                youngDeaths++;
            } else if (wasSpare) {
                youngDeaths = 0;
            }
        }
        if (wasSpare) {
            replenish();
        }
    }

    private Process launchSpare() {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary);
        // The same heap and collector defaults as a launched child (ChildJvmDefaults), so a warm worker runs as fast.
        final List<String> withDefaults = ChildJvmDefaults.withDefaults(jvmOptions, System.getenv());
        final String preloaded;
        synchronized (this) {
            preloaded = String.join(",", preload);
        }
        final ClassDataArchive.Use archive = ClassDataArchive.forLaunch(javaBinary, classpath, withDefaults,
            preloaded);
        if (archive.maps()) {
            command.addAll(archive.jvmOptions());
        } else {
            // A spare never writes the archive itself (it may be stopped by a signal): a training JVM does.
            archive.train(javaBinary, classpath, withDefaults, preloaded);
        }
        command.addAll(withDefaults);
        command.add("-Dforklift.role=warm");
        command.add("-Dforklift.name=warm-" + key.substring(0, Math.min(8, key.length())));
        command.add("-D" + SharedMemoryDirectory.PINNED_DIR_PROP_NAME + '=' + SharedMemoryDirectory.current().path());
        synchronized (this) {
            if (!preload.isEmpty()) {
                command.add("-D" + WarmWorkerMain.PRELOAD_PROPERTY + '=' + String.join(",", preload));
            }
        }
        command.add("-cp");
        command.add(classpath);
        command.add(WarmWorkerMain.class.getName());
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (final IOException ex) {
            return null;
        }
    }

    private void watchLoop() {
        while (!stopping) {
            try {
                Thread.sleep(200);
            } catch (final InterruptedException ex) {
                return;
            }
            final boolean idle;
            synchronized (this) {
                idle = handedOutAlive == 0 && starting == 0 && System.nanoTime() - lastUsedNanos > idleNanos;
            }
            if (idle || otherHost(SharedMemoryDirectory.current(), key).isPresent()) {
                stop();
            }
        }
    }

    private void stop() {
        stopping = true;
        SharedMemoryDirectory.deleteOwned(socket);
        try {
            server.close();
        } catch (final IOException ignored) {
            // Closed is closed.
        }
    }

    /** Lets every spare go (end of its input), waits a little, kills what is left, exits. */
    private void shutDown() {
        stop();
        final List<Process> left;
        synchronized (this) {
            left = new ArrayList<>(spare);
            spare.clear();
        }
        left.forEach(WarmHostMain::closeQuietly);
        for (final Process worker : left) {
            try {
                if (!worker.waitFor(2, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            } catch (final InterruptedException ex) {
                worker.destroyForcibly();
            }
        }
        System.exit(0);
    }

    private static void closeQuietly(final Process worker) {
        try {
            worker.getOutputStream().close();
        } catch (final IOException ignored) {
            worker.destroyForcibly();
        }
    }
}
