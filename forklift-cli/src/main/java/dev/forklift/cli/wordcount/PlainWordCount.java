package dev.forklift.cli.wordcount;

import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.PlainWriters;
import dev.forklift.pipeline.Sources;
import dev.forklift.process.internal.StartupTrace;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code forklift wordcount} without picocli's model of the command, for the plainest command line only:
 * {@code wordcount}, then the flags {@code --quiet} and {@code --json} (each at most once, anywhere) and one or more
 * regular, readable files that are no globs. Picocli builds the command's model by reflection over its annotations,
 * the largest step of the command-line JVM before the producer is taken (184 ms median of a word count over 4 tiny
 * files at load 2; docs/benchmarks.md, "Word count over tiny files: producers staggered, and the parent's path").
 * The command then runs with picocli's defaults for every other option, and prints through the writers picocli would
 * make. Anything else declines ({@link #execute} returns null) before anything is printed or opened: any other
 * option, {@code --}, a lone {@code -}, an argument starting with {@code @}, a flag given twice, no file, a glob, a
 * directory, a path that is missing or unreadable; {@code Main} then runs the command line through picocli, which
 * prints its help, version or error exactly as without this path.
 *
 * <p>{@value #ENABLED_PROPERTY}{@code =false} turns it off. Called by {@code Main.main} on the main thread (never by
 * {@code Main.execute}, whose callers may redirect picocli's output); blocks for as long as the count does.
 */
public final class PlainWordCount {
    /** System property: {@code false} sends every word-count command line through picocli. */
    public static final String ENABLED_PROPERTY = "forklift.cli.plainWordCount";

    private PlainWordCount() {
    }

    /** What a plain command line says: its files, and its two flags. */
    record Args(List<String> paths, boolean quiet, boolean json) {
    }

    /**
     * @param args the whole command line, {@code wordcount} first.
     * @return what it says, or null when it is not a plain word-count command line (picocli reads it then).
     */
    static Args parse(final String[] args) {
        if (args.length < 2 || !args[0].equals("wordcount")) {
            return null;
        }
        boolean quiet = false;
        boolean json = false;
        final List<String> paths = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--quiet") && !quiet) {
                quiet = true;
            } else if (arg.equals("--json") && !json) {
                json = true;
            } else if (arg.startsWith("-") || arg.startsWith("@") || !isPlainFile(arg)) {
                return null;
            } else {
                paths.add(arg);
            }
        }
        return paths.isEmpty() ? null : new Args(List.copyOf(paths), quiet, json);
    }

    /**
     * @param args the command line, as {@code main} got it.
     * @return the count's exit code, or null when it declined (nothing was printed: run the command line through
     *     picocli).
     * @throws Error as the command throws it (picocli lets an {@code Error} through too).
     */
    public static Integer execute(final String[] args) {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return null;
        }
        final Args parsed = parse(args);
        if (parsed == null) {
            return null;
        }
        StartupTrace.stamp("cli wordcount: plain");
        final PrintWriter out = PlainWriters.out();
        final PrintWriter err = PlainWriters.err();
        try {
            return WordCountCommand.plain(parsed.paths(), parsed.quiet(), parsed.json()).count(out, err);
        } catch (final Exception ex) {
            // What Main's execution-exception handler prints for a command's exception.
            err.println("forklift wordcount: " + ex.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** @return true for a path that is no glob and names a regular file this process can read. */
    private static boolean isPlainFile(final String arg) {
        if (Sources.isGlob(arg)) {
            return false;
        }
        try {
            final Path path = Path.of(arg);
            return Files.isRegularFile(path) && Files.isReadable(path);
        } catch (final InvalidPathException | SecurityException ex) {
            return false;
        }
    }
}
