package dev.forklift.bench.startup;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.PythonPeer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole {@code forklift} command timed from the shell's point of view (launcher script, JVM start, the command's
 * child JVMs, exit), against a peer command, with an absolute target in ms and, where the peer does the same work,
 * a ratio target too. The first call of each side runs it once untimed (the launcher builds the jar and its class
 * data archive on first use; Python compiles its script).
 */
public final class CommandCase extends DescribedCase {
    private final List<String> forkliftArgs;
    private final Map<String, String> environment;
    private final Peer peer;
    private final double maxMs;
    private boolean forkliftWarmedUp;
    private boolean peerWarmedUp;

    /** What the peer side runs. */
    interface Peer {
        double run() throws Exception;
    }

    private CommandCase(final String name, final String description, final double targetRatio, final double maxMs,
        final List<String> forkliftArgs, final Map<String, String> environment, final Peer peer) {
        super(name, description, "ms", false, targetRatio);
        this.forkliftArgs = forkliftArgs;
        this.environment = environment;
        this.peer = peer;
        this.maxMs = maxMs;
    }

    /** @return {@code forklift --help} under 200 ms; the peer, {@code java -version}, for scale. */
    public static CommandCase help() {
        return new CommandCase("C-help", "whole command: forklift --help (launcher + JVM); peer java -version, for "
            + "scale; target absolute", 0, 200, List.of("--help"), Map.of(),
            () -> WholeCommand.timeMs(WholeCommand.of(javaOnPath(), "-version"), Map.of()));
    }

    /**
     * @param warm true for {@code --warm}.
     * @return {@code forklift run} over 3 lines with 2 workers: under 500 ms and no slower than a Python script
     *     mapping the same over a spawn {@code Pool(2)}.
     */
    public static CommandCase run(final boolean warm) {
        final List<String> args = new ArrayList<>(List.of("run", "--quiet", "--workers", "2", "--classpath",
            WholeCommand.benchJar(), "--task", UpperCaseTask.class.getName()));
        if (warm) {
            args.add("--warm");
        }
        args.add(threeLines().toString());
        return new CommandCase(warm ? "C-runW" : "C-run", "whole command: forklift run" + (warm ? " --warm" : "")
            + " --workers 2 over 3 lines vs python3 run_pool.py (spawn Pool(2).map over the same lines); target "
            + "<=500 ms and >=1.0x", 1.0, 500, List.copyOf(args), Map.of(),
            () -> pythonMs("run_pool.py", threeLines().toString()));
    }

    /** @return {@code forklift wordcount} over 4 tiny files under 600 ms; the Python word count for scale. */
    public static CommandCase wordCount() {
        final List<String> files = tinyFiles();
        final List<String> args = new ArrayList<>(List.of("wordcount", "--quiet"));
        args.addAll(files);
        return new CommandCase("C-wc", "whole command: forklift wordcount over 4 files of 2 lines; peer python3 "
            + "wordcount_mp.py over the same (4 producers + 1 consumer), for scale; target absolute", 0, 600,
            List.copyOf(args), Map.of(), () -> pythonMs("wordcount_mp.py", files.toArray(new String[0])));
    }

    @Override
    public double runForklift() throws Exception {
        final List<String> command = new ArrayList<>(List.of(WholeCommand.launcher()));
        command.addAll(forkliftArgs);
        if (!forkliftWarmedUp) {
            WholeCommand.timeMs(command, environment);
            forkliftWarmedUp = true;
        }
        return WholeCommand.timeMs(command, environment);
    }

    @Override
    public double runPeer() throws Exception {
        if (!peerWarmedUp) {
            peer.run();
            peerWarmedUp = true;
        }
        return peer.run();
    }

    @Override
    public boolean passes(final double forklift, final double peerMs) {
        return forklift < maxMs && (targetRatio() <= 0 || ratio(forklift, peerMs) >= targetRatio());
    }

    @Override
    public double ratio(final double forklift, final double peerMs) {
        return targetRatio() <= 0 ? Double.NaN : peerMs / forklift;
    }

    @Override
    public String target() {
        return "<" + (int) maxMs + "ms" + (targetRatio() > 0 ? ",>=1x" : "");
    }

    private static double pythonMs(final String script, final String... args) throws Exception {
        final Path file = PythonPeer.extract(script);
        final List<String> command = WholeCommand.of(System.getenv().getOrDefault("FORKLIFT_PYTHON", "python3"),
            file.toString());
        command.addAll(List.of(args));
        return WholeCommand.timeMs(command, Map.of());
    }

    private static String javaOnPath() {
        return "java";
    }

    private static Path threeLines() {
        return write("forklift-bench-3lines-", ".txt", "alpha beta\ngamma delta\nepsilon zeta\n");
    }

    private static List<String> tinyFiles() {
        final List<String> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(write("forklift-bench-tiny-" + i + "-", ".txt", "the quick brown fox " + i
                + "\njumps over the lazy dog\n").toString());
        }
        return files;
    }

    private static Path write(final String prefix, final String suffix, final String text) {
        try {
            final Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (final IOException ex) {
            throw new IllegalStateException("cannot write a benchmark input: " + ex, ex);
        }
    }
}
