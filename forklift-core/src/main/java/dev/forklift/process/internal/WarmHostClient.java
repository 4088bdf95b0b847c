package dev.forklift.process.internal;

import dev.forklift.shm.SharedMemoryDirectory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parent's side of the user's warm hosts ({@link WarmHostMain}): leases warm worker JVMs for children that asked
 * for them, and starts the host of a key on first use (that first start gets no warm worker: its children launch
 * as usual while the host warms its spares for the next one).
 *
 * <p><b>Key.</b> The java binary, the JVM version, every class path entry with its size and time (a directory with
 * its own time: classes rebuilt in place without adding or removing a file are not noticed; warm workers are meant
 * for jobs repeated with one build), and the JVM options. A child of another class path or other options gets
 * fresh workers, from another host.
 *
 * <p>System properties of the parent: {@code forklift.warm.idleMs} (how long a host it starts lives without
 * requests, default {@value #DEFAULT_IDLE_MS}), {@code forklift.warm.spare} (spare workers it keeps at first,
 * default 2; it keeps one more than the largest request since), and {@code forklift.warm.leaseBooting} and
 * {@code forklift.warm.spareBeyondLease}, passed on to a host it starts ({@code false}: it hands out ready spares
 * only; it keeps as many as the largest request; see {@link WarmHostMain}). Internal; not API. Thread-safe.
 */
public final class WarmHostClient {
    /** Default idle time of a host, in ms. */
    static final long DEFAULT_IDLE_MS = 300_000;
    private static final long HOST_JVM_WAIT_MS = 10_000;
    /** Keys whose host this process has started, with the host process. */
    private static final Map<String, Process> STARTED = new ConcurrentHashMap<>();

    private WarmHostClient() {
    }

    /**
     * Leases one warm worker per child where one is spare; the children must all have the same key.
     *
     * @param children  prepared children (token registered, nothing launched).
     * @param plan      the plan of the first (its java, class path and options make the key).
     * @return one process per child, null where none was leased (then launch it as usual).
     */
    static List<WarmProcess> lease(final List<ChildProcessImpl> children, final LaunchPlan plan) {
        final Optional<String> key = key(Launcher.javaBinary(), plan.classpath(), plan.jvmOptions());
        if (key.isEmpty()) {
            final List<WarmProcess> none = new ArrayList<>();
            children.forEach(child -> none.add(null));
            return none;
        }
        final Optional<Path> socket = socketOf(key.get());
        if (socket.isEmpty()) {
            startHost(key.get(), plan.classpath(), plan.jvmOptions(), children.size(), plan.taskClassName());
            final List<WarmProcess> none = new ArrayList<>();
            children.forEach(child -> none.add(null));
            return none;
        }
        return take(socket.get(), children.stream().map(ChildProcessImpl::token).toList(),
            children.get(0).controlPath(), plan.taskClassName());
    }

    /**
     * Asks the live host on {@code socket} for one warm worker per token; each worker leased is told its token and
     * the control socket, and connects back on its own.
     *
     * @param socket        the host's socket.
     * @param tokens        the children's tokens, registered with the control server.
     * @param controlPath   the control socket the workers connect to.
     * @param taskClassName the task class (a hint the host preloads in its next spares), or null.
     * @return one process per token, null where none was leased.
     */
    static List<WarmProcess> take(final Path socket, final List<String> tokens, final Path controlPath,
        final String taskClassName) {
        final List<WarmProcess> leased = new ArrayList<>();
        tokens.forEach(token -> leased.add(null));
        try {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            final Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
            final StringBuilder request = new StringBuilder("TAKE ").append(tokens.size()).append(' ')
                .append(controlPath).append(' ')
                .append(taskClassName != null ? taskClassName : "-").append('\n');
            tokens.forEach(token -> request.append(token).append('\n'));
            out.write(request.toString());
            out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
            final String answer = in.readLine();
            final String[] pids = answer == null ? new String[0] : answer.trim().split(" ");
            final Map<Long, WarmProcess> byPid = new ConcurrentHashMap<>();
            for (int i = 0; i < tokens.size() && i < pids.length; i++) {
                final long pid = pids[i].isEmpty() ? 0 : Long.parseLong(pids[i]);
                if (pid > 0) {
                    final WarmProcess process = new WarmProcess(pid);
                    leased.set(i, process);
                    byPid.put(pid, process);
                }
            }
            if (byPid.isEmpty()) {
                channel.close();
            } else {
                watchExits(channel, in, byPid);
            }
        } catch (final IOException | RuntimeException ex) {
            // No host after all (it stopped meanwhile): the children launch as usual.
        }
        return leased;
    }

    /** Reads the host's EXIT lines for the workers leased on one connection (a daemon thread). */
    private static void watchExits(final SocketChannel channel, final BufferedReader in,
        final Map<Long, WarmProcess> byPid) {
        DaemonThreads.start("forklift-warm-exits", () -> {
            try {
                String line;
                while (!byPid.isEmpty() && (line = in.readLine()) != null) {
                    final String[] words = line.split(" ");
                    if (words.length == 3 && words[0].equals("EXIT")) {
                        final WarmProcess process = byPid.remove(Long.parseLong(words[1]));
                        if (process != null) {
                            process.exited(Integer.parseInt(words[2]));
                        }
                    }
                }
            } catch (final IOException | RuntimeException ignored) {
                // The host is gone.
            }
            byPid.values().forEach(WarmProcess::hostGone);
            ControlServer.closeQuietly(channel);
        });
    }

    /** @return the socket of the live host of the key, if any. */
    static Optional<Path> socketOf(final String key) {
        try {
            return SharedMemoryDirectory.current().liveFileNamed(WarmHostMain.KIND, key);
        } catch (final IllegalStateException twoHosts) {
            return Optional.empty(); // two hosts raced to start: the younger stops itself soon
        }
    }

    /**
     * Starts the host of a key, detached from this process (its own session where {@code setsid} exists), unless
     * this process has started one that still runs.
     */
    private static void startHost(final String key, final String classpath, final List<String> jvmOptions,
        final int spare, final String taskClassName) {
        STARTED.compute(key, (k, running) -> {
            if (running != null && running.isAlive()) {
                return running;
            }
            final List<String> command = new ArrayList<>();
            for (final String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
                if (Files.isExecutable(Path.of(setsid))) {
                    command.add(setsid);
                    break;
                }
            }
            command.addAll(List.of(Launcher.javaBinary(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-D" + SharedMemoryDirectory.PINNED_DIR_PROP_NAME + '='
                    + SharedMemoryDirectory.current().path()));
            if (taskClassName != null && !taskClassName.isBlank()) {
                // The host's first spares warm for this task already (WarmWorkerMain), not only those after a TAKE.
                command.add("-D" + WarmWorkerMain.PRELOAD_PROPERTY + '=' + taskClassName);
            }
            for (final String policy : List.of(WarmHostMain.LEASE_BOOTING_PROPERTY,
                WarmHostMain.SPARE_BEYOND_LEASE_PROPERTY)) {
                final String value = System.getProperty(policy);
                if (value != null) {
                    command.add("-D" + policy + '=' + value); // the parent's switch, for the host it starts
                }
            }
            command.addAll(List.of("-cp", classpath, WarmHostMain.class.getName(),
                key, Long.toString(Long.getLong("forklift.warm.idleMs", DEFAULT_IDLE_MS)),
                Integer.toString(Math.max(spare, Integer.getInteger("forklift.warm.spare", 2))),
                Launcher.javaBinary(), classpath));
            command.addAll(jvmOptions);
            try {
                return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            } catch (final IOException ex) {
                return null;
            }
        });
    }

    /**
     * Starts the host of a key unless one runs, then waits until it has {@code count} spares.
     *
     * @return true once they are there.
     */
    public static boolean warmUp(final String classpath, final List<String> jvmOptions, final int count,
        final java.time.Duration timeout) {
        return warmUp(classpath, jvmOptions, count, timeout, null);
    }

    /**
     * As {@link #warmUp(String, List, int, java.time.Duration)}, telling a host it starts which task class its
     * spares will run, so that they warm for it ({@link WarmWorkerMain#PRELOAD_PROPERTY}).
     *
     * @param taskClassName the children's task class, or null.
     * @return true once they are there.
     */
    public static boolean warmUp(final String classpath, final List<String> jvmOptions, final int count,
        final java.time.Duration timeout, final String taskClassName) {
        final Optional<String> key = key(Launcher.javaBinary(), classpath, jvmOptions);
        if (key.isEmpty()) {
            return false;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        if (socketOf(key.get()).isEmpty()) {
            startHost(key.get(), classpath, jvmOptions, count, taskClassName);
        }
        while (sparePids(key.get()).size() < count) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Asks the host of a key for its spare workers.
     *
     * @param key the key.
     * @return their pids; empty when there is no host.
     */
    public static List<Long> sparePids(final String key) {
        final List<Long> pids = new ArrayList<>();
        ask(key, "STATUS").ifPresent(answer -> {
            for (final String word : answer.split(" ")) {
                if (!word.equals("spare") && !word.isEmpty()) {
                    pids.add(Long.parseLong(word));
                }
            }
        });
        return pids;
    }

    /**
     * Stops the host of a key (its spare workers exit; workers it handed out keep running for their parents).
     *
     * @param key the key.
     * @return true if a host was there and was told.
     */
    public static boolean stopHost(final String key) {
        return ask(key, "STOP").isPresent();
    }

    private static Optional<String> ask(final String key, final String request) {
        final Optional<Path> socket = socketOf(key);
        if (socket.isEmpty()) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket.get()));
            final Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
            out.write(request + "\n");
            out.flush();
            return Optional.ofNullable(new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8)).readLine());
        } catch (final IOException ex) {
            return Optional.empty();
        }
    }

    /**
     * The key of a host: see the class comment.
     *
     * @param javaBinary the java of the workers.
     * @param classpath  their class path.
     * @param jvmOptions their JVM options.
     * @return the key, or empty when an entry of the class path does not exist.
     */
    public static Optional<String> key(final String javaBinary, final String classpath, final List<String> jvmOptions) {
        final StringBuilder text = new StringBuilder();
        text.append(javaBinary).append('\n').append(System.getProperty("java.vm.version")).append('\n');
        try {
            for (final String entry : classpath.split(File.pathSeparator, -1)) {
                final Path path = Path.of(entry.isEmpty() ? "." : entry).toAbsolutePath();
                if (!Files.exists(path)) {
                    return Optional.empty();
                }
                text.append(path).append(' ').append(Files.isDirectory(path) ? 0 : Files.size(path)).append(' ')
                    .append(Files.getLastModifiedTime(path).toMillis()).append('\n');
            }
            jvmOptions.forEach(option -> text.append(option).append('\n'));
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString()
                .getBytes(StandardCharsets.UTF_8));
            return Optional.of("w" + HexFormat.of().formatHex(digest, 0, 12));
        } catch (final IOException | NoSuchAlgorithmException | RuntimeException ex) {
            return Optional.empty();
        }
    }

    /** @return the key of a plan's children. */
    static Optional<String> keyOf(final LaunchPlan plan) {
        return key(Launcher.javaBinary(), plan.classpath(), plan.jvmOptions());
    }

    /** @return true if a plan may run in a warm worker (no environment or system properties of its own). */
    static boolean eligible(final LaunchPlan plan) {
        return plan.warm() && plan.environment().isEmpty() && plan.systemProperties().isEmpty();
    }

    /** Keys seen, for tests. */
    static Set<String> startedKeys() {
        return STARTED.keySet();
    }
}
