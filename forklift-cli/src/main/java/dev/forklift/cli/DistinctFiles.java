package dev.forklift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Refuses a command whose output would be one of its inputs, or two of whose outputs would be one file: compares
 * the real files (symbolic links followed, hard links and {@code ./x} against {@code /abs/x} seen as one file by
 * their file key) before anything is opened for writing. Built and checked on the command's own thread; not
 * thread-safe.
 *
 * <pre>{@code
 * new DistinctFiles().input("input", in).output("--output", out).check();   // throws BadPathException
 * }</pre>
 */
public final class DistinctFiles {
    private static final int MAX_LINK_HOPS = 40;

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /**
     * Adds a file the command reads.
     *
     * @param role the name shown for it, such as {@code input} or {@code --retry-failed file}.
     * @param path the path as given.
     * @return this.
     */
    public DistinctFiles input(final String role, final Path path) {
        inputs.add(new Named(Objects.requireNonNull(role, "role"), Objects.requireNonNull(path, "path")));
        return this;
    }

    /**
     * Adds a file the command writes (and may create).
     *
     * @param role the name shown for it, such as {@code --output}.
     * @param path the path as given.
     * @return this.
     */
    public DistinctFiles output(final String role, final Path path) {
        outputs.add(new Named(Objects.requireNonNull(role, "role"), Objects.requireNonNull(path, "path")));
        return this;
    }

    /**
     * Adds standard input as an input when it is redirected from a regular file ({@code < file}), so that
     * {@code --output file} cannot overwrite it.
     *
     * @return this.
     */
    public DistinctFiles standardInput() {
        final Path stdin = Path.of("/dev/stdin");
        if (Files.isRegularFile(stdin)) {
            inputs.add(new Named("standard input", stdin));
        }
        return this;
    }

    /**
     * Adds standard output as an output when it is redirected to a regular file ({@code > file}, {@code >> file}).
     *
     * @return this.
     */
    public DistinctFiles standardOutput() {
        final Path stdout = Path.of("/dev/stdout");
        if (Files.isRegularFile(stdout)) {
            outputs.add(new Named("standard output", stdout));
        }
        return this;
    }

    /**
     * Compares every output with every input and with every other output.
     *
     * @throws InputPaths.BadPathException naming both paths of the first pair that are one file.
     */
    public void check() throws InputPaths.BadPathException {
        final List<Object> inputKeys = new ArrayList<>();
        for (final Named input : inputs) {
            inputKeys.add(existingKey(input.path));
        }
        final List<Object> outputKeys = new ArrayList<>();
        for (final Named output : outputs) {
            final Object key = plannedKey(output.path);
            for (int i = 0; i < inputs.size(); i++) {
                if (key != null && key.equals(inputKeys.get(i))) {
                    throw new InputPaths.BadPathException(output.shown() + " is the same file as "
                        + inputs.get(i).shown() + "; refusing to overwrite it");
                }
            }
            for (int i = 0; i < outputKeys.size(); i++) {
                if (key != null && key.equals(outputKeys.get(i))) {
                    throw new InputPaths.BadPathException(outputs.get(i).shown() + " and " + output.shown()
                        + " are the same file");
                }
            }
            outputKeys.add(key);
        }
    }

    /** @return the file's identity when it exists (links followed), else null. */
    private static Object existingKey(final Path path) {
        try {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : path.toRealPath();
        } catch (final IOException | InvalidPathException | SecurityException ex) {
            return null;
        }
    }

    /**
     * @return the identity of the file that writing to the path would write: the existing file (links followed),
     * or, for a file still to be created, its real directory and name (a dangling link followed to its target).
     */
    private static Object plannedKey(final Path path) {
        final Object existing = existingKey(path);
        if (existing != null) {
            return existing;
        }
        try {
            Path target = path.toAbsolutePath();
            for (int hop = 0; hop < MAX_LINK_HOPS && Files.isSymbolicLink(target); hop++) {
                target = target.resolveSibling(Files.readSymbolicLink(target)).toAbsolutePath();
            }
            final Path parent = target.getParent();
            if (parent == null || target.getFileName() == null) {
                return target.toString();
            }
            return "new file " + parent.toRealPath().resolve(target.getFileName());
        } catch (final IOException | InvalidPathException | SecurityException ex) {
            return null;
        }
    }

    private record Named(String role, Path path) {
        String shown() {
            return role.startsWith("standard ") ? role : role + " '" + path + "'";
        }
    }
}
