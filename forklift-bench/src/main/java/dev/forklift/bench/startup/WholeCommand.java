package dev.forklift.bench.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a whole command (the {@code forklift} launcher, a Python script, {@code java -version}) as the shell would,
 * and times it from {@link ProcessBuilder#start()} to the process's exit: the wall time a user waits. Its output
 * goes to a file (read only when it fails), so no pipe of this JVM slows it.
 */
final class WholeCommand {
    private WholeCommand() {
    }

    /** @return the repository root: the folder of the benchmark jar's module's parent, where {@code forklift} is. */
    static Path root() {
        final String configured = System.getProperty("forklift.bench.root");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            final Path jar = Path.of(WholeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toAbsolutePath().getParent().getParent().getParent();
        } catch (final Exception ex) {
            return Path.of(".").toAbsolutePath();
        }
    }

    /** @return the launcher, {@code <root>/forklift}. */
    static String launcher() {
        return root().resolve("forklift").toString();
    }

    /** @return the benchmark jar (which holds the task class of the run cases). */
    static String benchJar() {
        try {
            return Path.of(WholeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (final Exception ex) {
            throw new IllegalStateException("cannot find the benchmark jar: " + ex, ex);
        }
    }

    /**
     * Runs the command once and returns its wall time.
     *
     * @param command     the command line.
     * @param environment variables added to this JVM's environment.
     * @return milliseconds from start to exit.
     * @throws IOException if it cannot start, exits with a code other than 0 (with its output), or takes over 120 s.
     */
    static double timeMs(final List<String> command, final Map<String, String> environment)
        throws IOException, InterruptedException {
        final Path output = Files.createTempFile("forklift-bench-cmd-", ".out");
        try {
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                    "/dev/null")));
            builder.environment().putAll(environment);
            final long start = System.nanoTime();
            final Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("did not finish within 120 s: " + command);
            }
            final double ms = (System.nanoTime() - start) / 1e6;
            if (process.exitValue() != 0) {
                throw new IOException("exit code " + process.exitValue() + " from " + command + ": "
                    + Files.readString(output, StandardCharsets.UTF_8));
            }
            return ms;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** @return the words of a command, as a list that can grow. */
    static List<String> of(final String... words) {
        return new ArrayList<>(List.of(words));
    }
}
