package dev.forklift.bench.cluster;

import dev.forklift.bench.PythonPeer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Ray and Celery peers of {@code ./forklift bench cluster}, run in the same minutes as Forklift's cases: one
 * long-lived {@code cluster_peers.py serve} process (in the peers' virtualenv) that started Ray and a Celery worker
 * on a Redis bound to 127.0.0.1, and answers one command at a time ({@link #run}), so the bench interleaves the
 * peers' runs with its own. When the virtualenv or Redis is missing, {@link #open} first runs
 * {@code cluster_peers_setup.sh}; if that fails it returns null after printing how to set the peers up, and the
 * bench skips the peer cases. Called from the bench's main thread only; {@link #close} is idempotent.
 */
final class PythonPeers implements AutoCloseable {
    /** The peers' virtualenv, unless {@code FORKLIFT_PEERS_VENV} names another. */
    static final Path DEFAULT_VENV = Path.of(System.getProperty("user.home"), ".cache", "forklift-bench",
        "peers-venv");
    private static final long SETUP_TIMEOUT_SEC = 900;
    private final Process process;
    private final BufferedReader answers;
    private final Writer commands;
    private boolean closed;

    private PythonPeers(final Process process) {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Sets the peers up when missing, starts them and waits until they answered a first task.
     *
     * @param workDir where the peers' logs go.
     * @return the running peers, or null (with a message printed) when they cannot be set up or started.
     */
    static PythonPeers open(final Path workDir) throws IOException, InterruptedException {
        final Path venv = Path.of(System.getenv().getOrDefault("FORKLIFT_PEERS_VENV", DEFAULT_VENV.toString()));
        final Path python = venv.resolve("bin").resolve("python");
        final Path setupLog = workDir.resolve("peers-setup.log");
        if (!ready(python)) {
            System.out.println("peers: setting up Ray, Celery and Redis in " + venv + " (once; log " + setupLog + ")");
            final Path setup = PythonPeer.extract("cluster_peers_setup.sh");
            final Process install = new ProcessBuilder("bash", setup.toString(), venv.toString())
                .redirectErrorStream(true).redirectOutput(setupLog.toFile()).start();
            if (!install.waitFor(SETUP_TIMEOUT_SEC, TimeUnit.SECONDS)) {
                install.destroyForcibly();
            }
            if (!ready(python)) {
                System.out.println("peers: SKIPPED, cannot set up Ray and Celery (see " + setupLog + "). Set them up"
                    + " by hand with `bash forklift-bench/src/main/python/cluster_peers_setup.sh [VENV]` (needs the"
                    + " Python package index and Debian's redis-server), or point FORKLIFT_PEERS_VENV at a virtualenv"
                    + " with ray 2.58, celery 5.6 and redis-py, and redis-server on the PATH");
                return null;
            }
        }
        final Path script = PythonPeer.extract("cluster_peers.py");
        final Path log = workDir.resolve("peers.log");
        final Process process = new ProcessBuilder(python.toString(), script.toString(), "serve", "ray,celery")
            .redirectError(log.toFile()).start();
        final PythonPeers peers = new PythonPeers(process);
        final Map<String, String> started = peers.answer();
        if (started == null) {
            peers.close();
            System.out.println("peers: SKIPPED, they did not start (see " + log + ")");
            return null;
        }
        System.out.println("peers: Ray and Celery started in " + started.get("seconds") + " s, on 127.0.0.1 only");
        return peers;
    }

    private static boolean ready(final Path python) throws InterruptedException {
        if (!Files.isExecutable(python)) {
            return false;
        }
        try {
            final Process check = new ProcessBuilder(List.of("bash", "-c", "command -v redis-server >/dev/null && '"
                + python + "' -c 'import ray, celery, redis, celery.bin.celery'")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return check.waitFor(120, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (final IOException ex) {
            return false;
        }
    }

    /**
     * Runs one peer case.
     *
     * @param command {@code ray-map}, {@code celery-chunks} or {@code celery-delay}.
     * @param n       tasks or items.
     * @return tasks (items) per second, or NaN when the peer failed (its message printed).
     */
    double run(final String command, final int n) throws IOException {
        commands.write(command + " " + n + "\n");
        commands.flush();
        final Map<String, String> answer = answer();
        if (answer == null) {
            return Double.NaN;
        }
        return Double.parseDouble(answer.get("rate"));
    }

    /** @return the pairs of the next {@code ok} line, or null after printing an {@code error} line or at the end. */
    private Map<String, String> answer() throws IOException {
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith("ok")) {
                final Map<String, String> pairs = new HashMap<>();
                for (final String pair : line.substring(2).trim().split("\\s+")) {
                    final int eq = pair.indexOf('=');
                    if (eq > 0) {
                        pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                return pairs;
            }
            if (line.startsWith("error")) {
                System.out.println("peers: " + line);
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (final IOException ignored) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
