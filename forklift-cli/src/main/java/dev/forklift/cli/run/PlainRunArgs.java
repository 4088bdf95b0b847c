package dev.forklift.cli.run;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code forklift run}'s command line read without picocli's model of the command, for the plain cases only: picocli
 * builds that model by reflection over the command's annotations, the largest step of the command-line JVM before its
 * first result (160-285 ms of a 3-line run; docs/benchmarks.md, "Whole commands: run without picocli's model").
 *
 * <p>It reads exactly what picocli would read, or declines: {@link #parse} returns null for anything outside the
 * plain grammar, and the command line then goes to picocli as before, so help, errors and every unusual form keep
 * picocli's handling and text. The plain grammar: {@code run} first; the options below, each at most once, as
 * {@code --name value} or {@code --name=value}, the value neither empty nor starting with {@code -}; the flags
 * {@code --unordered}, {@code --quiet} and {@code --warm} without a value; input files anywhere (a lone {@code -} is
 * standard input), everything after {@code --} a file. Declined: {@code --help}, {@code --version}, {@code --resume},
 * {@code --broker}, {@code --dashboard}, {@code --allow-actions}, any other option, any argument starting with
 * {@code @} (picocli's argument files), a number {@link Integer#valueOf} does not read, a path {@link Path#of} does not
 * take. The values are those picocli gives: {@code Integer.valueOf} for numbers, {@code Path.of} for paths, the
 * defaults of the annotations ({@code --retries 2}, {@code --encoding UTF-8}).
 *
 * <p>Called by {@link PlainRun} on the main thread before anything else of the command runs. Immutable once parsed.
 */
final class PlainRunArgs {
    /** Options that take one value. */
    private static final Set<String> VALUED = Set.of("--task", "--workers", "--classpath", "--timeout",
        "--heartbeat-timeout", "--max-rss", "--max-input-size", "--retries", "--output", "--failed", "--retry-failed",
        "--encoding", "--state");
    /** Options without a value. */
    private static final Set<String> FLAGS = Set.of("--unordered", "--quiet", "--warm");

    /** Each option matched, in command-line order: its name, and its value (null for a flag). */
    private final List<String[]> matched;
    private final Map<String, String> values;
    private final List<String> files;

    private PlainRunArgs(final List<String[]> matched, final Map<String, String> values, final List<String> files) {
        this.matched = matched;
        this.values = values;
        this.files = files;
    }

    /**
     * @param args the whole command line, {@code run} first.
     * @return what it says, or null when it is not a plain {@code run} command line (picocli reads it then).
     */
    static PlainRunArgs parse(final String[] args) {
        if (args.length == 0 || !args[0].equals("run")) {
            return null;
        }
        final List<String[]> matched = new ArrayList<>();
        final Map<String, String> values = new HashMap<>();
        final List<String> files = new ArrayList<>();
        boolean onlyFiles = false;
        for (int i = 1; i < args.length; i++) {
            final String arg = args[i];
            if (arg.startsWith("@")) {
                return null;
            }
            if (onlyFiles || arg.equals("-") || !arg.startsWith("-")) {
                files.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyFiles = true;
                continue;
            }
            final int equals = arg.indexOf('=');
            final String name = equals < 0 ? arg : arg.substring(0, equals);
            if (values.containsKey(name)) {
                return null; // given twice: picocli's error
            }
            if (FLAGS.contains(name)) {
                if (equals >= 0) {
                    return null;
                }
                values.put(name, null);
                matched.add(new String[] {name, null});
                continue;
            }
            if (!VALUED.contains(name)) {
                return null;
            }
            final String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null; // no value: picocli's error
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return null;
            }
            values.put(name, value);
            matched.add(new String[] {name, value});
        }
        final PlainRunArgs parsed = new PlainRunArgs(matched, values, files);
        try {
            parsed.integer("--workers");
            parsed.integer("--retries");
            for (final String pathOption : List.of("--output", "--failed", "--retry-failed", "--state")) {
                parsed.path(pathOption);
            }
        } catch (final NumberFormatException | InvalidPathException ex) {
            return null;
        }
        return parsed;
    }

    /** @return the option's value as given, or null when it was not given. */
    String text(final String option) {
        return values.get(option);
    }

    /** @return true when the flag was given. */
    boolean flag(final String option) {
        return values.containsKey(option);
    }

    /** @return the option's value as picocli converts it to an {@code Integer}, or null when it was not given. */
    Integer integer(final String option) {
        final String text = values.get(option);
        return text == null ? null : Integer.valueOf(text);
    }

    /** @return the option's value as picocli converts it to a {@code Path}, or null when it was not given. */
    Path path(final String option) {
        final String text = values.get(option);
        return text == null ? null : Path.of(text);
    }

    /** @return the input files, in order; null when none was given (as picocli leaves the field). */
    List<String> files() {
        return files.isEmpty() ? null : List.copyOf(files);
    }

    /**
     * @return the options matched, in command-line order, as a stopped run records them to be parsed again: the
     * option's name, then its value unless it is a flag (what picocli's parse result gives).
     */
    List<String> matchedArgs() {
        final List<String> args = new ArrayList<>();
        for (final String[] option : matched) {
            args.add(option[0]);
            if (option[1] != null) {
                args.add(option[1]);
            }
        }
        return args;
    }
}
