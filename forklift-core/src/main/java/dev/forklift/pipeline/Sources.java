package dev.forklift.pipeline;

import dev.forklift.pipeline.internal.BlocksSource;
import dev.forklift.pipeline.internal.IterableSource;
import dev.forklift.pipeline.internal.LinesSource;
import dev.forklift.pipeline.internal.StdinSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ready-made {@link Source}s, built in the parent. File sources open their file only when a producer reads it,
 * so a file that cannot be read becomes a failure record of that source (under the pipeline's
 * {@link ErrorPolicy}), not an error here.
 */
public final class Sources {
    /** Default block size of {@link #blocks}: 1 MiB. */
    public static final int DEFAULT_BLOCK_BYTES = 1 << 20;

    private Sources() {
    }

    /**
     * Expands command-line style arguments into files: a file is itself, a directory gives every regular file
     * below it (sorted), and an argument with {@code *}, {@code ?}, {@code [} or <code>{</code> is a glob over
     * the files below its fixed leading directory (for example {@code logs/**.txt}).
     *
     * @param arguments paths, directories and globs.
     * @return the files, in argument order, each once; paths that do not exist are kept as they are (reading
     * them fails later, per source).
     * @throws UncheckedIOException if a directory cannot be listed.
     */
    public static List<Path> expand(final Collection<String> arguments) {
        final List<Path> files = new ArrayList<>();
        for (final String argument : Objects.requireNonNull(arguments, "arguments")) {
            if (isGlob(argument)) {
                files.addAll(glob(argument));
            } else {
                final Path path = Path.of(argument);
                if (Files.isDirectory(path)) {
                    files.addAll(walk(path));
                } else {
                    files.add(path);
                }
            }
        }
        return files.stream().distinct().collect(Collectors.toList());
    }

    /**
     * @param argument a path argument, as given to {@link #expand}.
     * @return true when {@link #expand} treats it as a glob (it holds {@code *}, {@code ?}, {@code [} or an
     * opening brace).
     */
    public static boolean isGlob(final String argument) {
        return argument.matches(".*[*?\\[{].*");
    }

    /**
     * @param files the files.
     * @return one source per file, yielding its lines ({@link String}, UTF-8; position = line number).
     */
    public static List<Source<String>> lines(final List<Path> files) {
        return files.stream().map(LinesSource::new).collect(Collectors.toList());
    }

    /**
     * @param files      the files.
     * @param blockBytes the usual block size.
     * @return one source per file, yielding its bytes in blocks ({@code byte[]}; position = byte offset) that
     * never cut a line feed-terminated line when avoidable, a word (run of ASCII letters/digits or non-ASCII
     * bytes) or a UTF-8 sequence.
     */
    public static List<Source<byte[]>> blocks(final List<Path> files, final int blockBytes) {
        return files.stream().map(f -> new BlocksSource(f, blockBytes)).collect(Collectors.toList());
    }

    /**
     * @param files the files.
     * @return {@link #blocks(List, int)} with {@link #DEFAULT_BLOCK_BYTES}.
     */
    public static List<Source<byte[]>> blocks(final List<Path> files) {
        return blocks(files, DEFAULT_BLOCK_BYTES);
    }

    /** @return a source of the lines of this process's standard input (the parent reads it). */
    public static Source<String> stdin() {
        return new StdinSource(System.in);
    }

    /**
     * @param name  the source's name.
     * @param items the items; the iterable must be serializable (it is iterated in a producer process).
     * @param <T>   the type of the items.
     * @return a source yielding the items in order (position = index).
     */
    public static <T> Source<T> iterable(final String name, final Iterable<T> items) {
        return new IterableSource<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(items, "items"));
    }

    private static List<Path> walk(final Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot list directory " + directory + ": " + ex.getMessage(), ex);
        }
    }

    private static List<Path> glob(final String pattern) {
        final String[] parts = pattern.split("/", -1);
        final StringBuilder base = new StringBuilder(pattern.startsWith("/") ? "/" : "");
        int i = 0;
        for (; i < parts.length - 1 && !parts[i].matches(".*[*?\\[{].*"); i++) {
            if (!parts[i].isEmpty()) {
                base.append(parts[i]).append('/');
            }
        }
        final Path root = Path.of(base.length() == 0 ? "." : base.toString());
        final PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        return walk(root).stream().filter(p -> matcher.matches(base.length() == 0 ? root.relativize(p) : p))
            .collect(Collectors.toList());
    }
}
