package dev.forklift.bench.wordcount;

import dev.forklift.bench.BenchMain;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a user would type it and times it from before its process is started to after it has exited:
 * JVM or interpreter start-up, every child process and the final output included.
 */
final class WholeCommand {
    private WholeCommand() {
    }

    /**
     * @param command    the command line.
     * @param timeoutSec the longest it may take.
     * @return its wall-clock time in seconds.
     * @throws IOException if it cannot be started, fails or times out; the message carries its output.
     */
    static double seconds(final List<String> command, final long timeoutSec) throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        final long start = System.nanoTime();
        final Process process = builder.start();
        final byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("did not finish within " + timeoutSec + " s: " + command);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited with " + process.exitValue() + ": "
                + new String(output, StandardCharsets.UTF_8));
        }
        return seconds;
    }

    /**
     * @return the {@code forklift} command of the source tree this benchmark jar was built in (the launcher script
     *         at its root), or {@code $FORKLIFT_BENCH_COMMAND} when set.
     * @throws IOException if there is none.
     */
    static String forklift() throws IOException {
        final String given = System.getenv("FORKLIFT_BENCH_COMMAND");
        if (given != null && !given.isBlank()) {
            return given;
        }
        try {
            final Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path root = jar.toAbsolutePath().getParent().getParent().getParent();
            final Path script = root.resolve("forklift");
            if (Files.isExecutable(script)) {
                return script.toString();
            }
            throw new IOException("no forklift command at " + script + "; set FORKLIFT_BENCH_COMMAND");
        } catch (final URISyntaxException | RuntimeException ex) {
            throw new IOException("cannot locate the forklift command; set FORKLIFT_BENCH_COMMAND", ex);
        }
    }

    /** @return the files as command-line arguments. */
    static List<String> paths(final List<Path> files) {
        final List<String> args = new ArrayList<>();
        files.forEach(f -> args.add(f.toString()));
        return args;
    }
}
