package dev.forklift.cluster;

import dev.forklift.ForkliftException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A broker and worker hosts as real processes on this machine, on 127.0.0.1 only: what the cluster tests,
 * {@code forklift chaos --cluster} and the cluster benchmarks run. Each process is a JVM of this one's class path;
 * each worker host gets its own shared-memory directory ({@code forklift.shm.dir}), so nothing passes between
 * hosts except through the broker. Every process exits by itself when this JVM is gone. The broker keeps its
 * journal and credentials in a directory of its own, so it can be killed and started again.
 *
 * <p>Used from one thread; {@link #close()} kills everything and is idempotent.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Path credentials;
    private final List<String> hostJvmOptions;
    private Process broker;
    private volatile String brokerTls;
    private volatile String clientUrlOptions;
    private volatile boolean commandDefaults;
    private final Map<String, Process> hosts = new ConcurrentHashMap<>();
    private final Map<String, Path> shmDirs = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * @param dir            a directory for the journal, credentials and the hosts' shared memory.
     * @param hostJvmOptions JVM options of each worker host process.
     * @throws IOException if no port is free.
     */
    public LocalCluster(final Path dir, final List<String> hostJvmOptions) throws IOException {
        this.dir = dir;
        this.credentials = dir.resolve("broker.credentials");
        this.hostJvmOptions = List.copyOf(hostJvmOptions);
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    /**
     * Makes the broker started from now on accept TLS only, and the URL of hosts and callers use it.
     *
     * @param brokerTls        the broker's TLS settings ({@code forklift broker --tls}), such as
     *                         {@code sslEnabled=true;keyStorePath=...;keyStorePassword=...}.
     * @param clientUrlOptions the clients' URL options, such as
     *                         {@code sslEnabled=true&trustStorePath=...&trustStorePassword=...}.
     * @return this.
     */
    public LocalCluster tls(final String brokerTls, final String clientUrlOptions) {
        this.brokerTls = brokerTls;
        this.clientUrlOptions = clientUrlOptions;
        return this;
    }

    /**
     * Makes the broker and worker hosts started from now on run with the JVM settings users get from
     * {@code forklift broker} and {@code forklift worker} (the JVM's defaults: full tiered compilation, default heap
     * and collector; only the host JVM options given to the constructor are added), for benchmarks. Without it, they
     * run with C1 only ({@code -XX:TieredStopAtLevel=1}) and the broker with {@code -Xmx256m -XX:+UseSerialGC}:
     * quicker to start and lighter on a loaded machine, for tests.
     *
     * @return this.
     */
    public LocalCluster commandDefaults() {
        this.commandDefaults = true;
        return this;
    }

    /** @return the URL clients use, credentials file (and TLS options, see {@link #tls}) included. */
    public String url() {
        return "tcp://127.0.0.1:" + port + "?credentials=" + credentials
            + (clientUrlOptions == null ? "" : "&" + clientUrlOptions);
    }

    /**
     * Starts (or starts again, from the same journal) the broker and waits until it accepts connections.
     *
     * @return its pid.
     * @throws IOException          if the broker's process cannot be started.
     * @throws InterruptedException if interrupted while waiting for it to be ready.
     * @throws ForkliftException    if it is not ready within 60 s or no longer runs then (it is killed).
     */
    public long startBroker() throws IOException, InterruptedException {
        final List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--data",
            dir.resolve("broker-data").toString(), "--credentials", credentials.toString()));
        if (brokerTls != null) {
            args.addAll(List.of("--tls", brokerTls));
        }
        broker = launch("broker", BrokerMain.class, commandDefaults ? List.of() : List.of("-Xmx256m", "-XX:+UseSerialGC"),
            args, "broker ready");
        return broker.pid();
    }

    /** @return the broker process. */
    public Process broker() {
        return broker;
    }

    /**
     * Starts a worker host and waits until it is connected.
     *
     * @param name    its name.
     * @param workers its local workers.
     * @param lease   its lease.
     * @return its process.
     * @throws IOException          if its process cannot be started.
     * @throws InterruptedException if interrupted while waiting for it to be ready.
     * @throws ForkliftException    if it is not ready within 60 s or no longer runs then (it is killed).
     */
    public Process startHost(final String name, final int workers, final Duration lease)
        throws IOException, InterruptedException {
        startHosts(List.of(name), workers, lease);
        return hosts.get(name);
    }

    /**
     * Starts worker hosts in parallel and waits until each is connected with its workers running.
     *
     * @param names   their names.
     * @param workers local workers of each.
     * @param lease   the lease of each.
     * @throws IOException          if a host's process cannot be started.
     * @throws InterruptedException if interrupted while waiting for them to be ready.
     * @throws ForkliftException    if a host is not ready within 60 s or no longer runs then (it is killed;
     *                              the other hosts started stay in this cluster, and {@link #close()} kills them).
     */
    public void startHosts(final List<String> names, final int workers, final Duration lease)
        throws IOException, InterruptedException {
        startHosts(names, workers, lease, System.getProperty("java.class.path"));
    }

    /**
     * As {@link #startHosts(List, int, Duration)} with a class path of the hosts' own (and so of their workers).
     *
     * @param names     their names.
     * @param workers   local workers of each.
     * @param lease     the lease of each.
     * @param classpath the hosts' class path; it must hold Forklift and its dependencies.
     * @throws IOException          if a host's process cannot be started.
     * @throws InterruptedException if interrupted while waiting for them to be ready.
     * @throws ForkliftException    if a host is not ready within 60 s or no longer runs then (it is killed;
     *                              the other hosts started stay in this cluster, and {@link #close()} kills them).
     */
    public void startHosts(final List<String> names, final int workers, final Duration lease, final String classpath)
        throws IOException, InterruptedException {
        final List<Launched> started = new ArrayList<>();
        for (final String name : names) {
            // Short: the workers' control sockets live under it, and a Unix socket path has at most 107 bytes.
            final Path shm = shmDirs.computeIfAbsent(name, n -> {
                try {
                    return Files.createTempDirectory("fk" + n);
                } catch (final IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            final List<String> options = new ArrayList<>(hostJvmOptions);
            options.add("-Dforklift.shm.dir=" + shm);
            final Launched host = spawn("host " + name, WorkerHostMain.class, options, classpath, List.of("--broker", url(),
                "--workers", Integer.toString(workers), "--name", name, "--lease-ms",
                Long.toString(lease.toMillis())), "host ready");
            hosts.put(name, host.process);
            started.add(host);
        }
        for (final Launched host : started) {
            host.awaitReady();
        }
    }

    /** @return the names of the hosts started so far. */
    public java.util.Set<String> hostNames() {
        return hosts.keySet();
    }

    /**
     * @param name the name of a host.
     * @return its process, or null if no host of that name was started.
     */
    public Process host(final String name) {
        return hosts.get(name);
    }

    private Process launch(final String what, final Class<?> main, final List<String> jvmOptions,
        final List<String> args, final String readyLine) throws IOException, InterruptedException {
        final Launched launched = spawn(what, main, jvmOptions, System.getProperty("java.class.path"), args,
            readyLine);
        launched.awaitReady();
        return launched.process;
    }

    /** A process started and the latch of its ready line. */
    private record Launched(String what, Process process, CountDownLatch ready) {
        void awaitReady() throws InterruptedException {
            if (!ready.await(60, TimeUnit.SECONDS) || !process.isAlive()) {
                process.destroyForcibly();
                throw new ForkliftException(what + " did not start within 60 s");
            }
        }
    }

    private Launched spawn(final String what, final Class<?> main, final List<String> jvmOptions,
        final String classpath, final List<String> args, final String readyLine) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (!commandDefaults) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-D" + ParentWatch.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(args);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(readyLine)) {
                        ready.countDown();
                    } else if (!line.contains("SLF4J")) {
                        System.err.println("[" + what + "] " + line);
                    }
                }
            } catch (final IOException ex) {
                // the process is gone
            }
        }, "output-" + what);
        pump.setDaemon(true);
        pump.start();
        return new Launched(what, process, ready);
    }

    /**
     * Kills a process with SIGKILL and waits for its end, at most 10 s.
     *
     * @param process the process.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static void kill9(final Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (final Process host : hosts.values()) {
            host.destroyForcibly();
        }
        if (broker != null) {
            broker.destroyForcibly();
        }
        for (final Process host : hosts.values()) {
            try {
                host.waitFor(10, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        for (final Path shm : shmDirs.values()) {
            try (java.util.stream.Stream<Path> paths = Files.walk(shm)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (final IOException ex) {
                // best effort: the workers of a killed host may still be exiting
            }
        }
    }
}
