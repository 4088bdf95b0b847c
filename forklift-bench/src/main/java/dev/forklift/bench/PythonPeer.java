package dev.forklift.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python peer program shipped in this module ({@code src/main/python}, standard library only) and reads
 * its result: the last line of its standard output, as space-separated {@code key=value} pairs.
 */
public final class PythonPeer {
    private PythonPeer() {
    }

    /**
     * @param script     the script's file name under {@code src/main/python}, such as {@code mp_queue.py}.
     * @param timeoutSec the longest the run may take.
     * @param args       its arguments.
     * @return the {@code key=value} pairs of its last output line.
     * @throws IOException if python3 cannot be run, fails, or prints no result.
     */
    public static Map<String, String> run(final String script, final long timeoutSec, final String... args)
        throws IOException, InterruptedException {
        final Path file = extract(script);
        final List<String> command = new ArrayList<>(List.of(python(), file.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = process.getInputStream()) {
            if (!process.waitFor(timeoutSec, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("python peer " + script + " did not finish within " + timeoutSec + " s");
            }
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.exitValue() != 0) {
            throw new IOException("python peer " + script + " exited with " + process.exitValue() + ": " + output);
        }
        final String[] lines = output.strip().split("\n");
        final Map<String, String> result = new HashMap<>();
        for (final String pair : lines[lines.length - 1].trim().split("\\s+")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                result.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        if (result.isEmpty()) {
            throw new IOException("python peer " + script + " printed no key=value result: " + output);
        }
        return result;
    }

    private static String python() {
        return System.getenv().getOrDefault("FORKLIFT_PYTHON", "python3");
    }

    /**
     * @param script a script under {@code src/main/python}.
     * @return a temporary copy of it, deleted at exit.
     * @throws IOException if there is none.
     */
    public static Path extract(final String script) throws IOException {
        try (InputStream in = PythonPeer.class.getResourceAsStream("/python/" + script)) {
            if (in == null) {
                throw new IOException("no python peer named " + script);
            }
            final Path file = Files.createTempFile("forklift-peer-", "-" + script);
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        }
    }
}
