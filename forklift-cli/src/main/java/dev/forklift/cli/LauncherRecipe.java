package dev.forklift.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The note from which the {@code forklift} launcher script starts the first child of {@code forklift run} (its first
 * worker) or {@code forklift wordcount} (its first producer) before the command's own JVM boots
 * ({@code forklift-cli/target/forklift-cli.early-run} and {@code .early-wordcount}, beside the jar): the exact command
 * line with which the last plain run of the same command and key prelaunched that child. The two JVMs then boot side
 * by side; the command's JVM takes the early one only if its own first child's command line is exactly the noted one
 * ({@link EarlyLaunch}), so a stale note costs a boot, never a wrong child.
 *
 * <p>Layout, one line each: {@value #HEADER}; the key, as the launcher computes it ({@code classpath=<the --classpath
 * value>} for {@code run}, {@code producers} for {@code wordcount}); then the command line, one argument per line.
 * Written by the command's JVM when the launcher asked ({@value #FILE_PROPERTY} and {@value #KEY_PROPERTY}) and had
 * no fitting note; replaced atomically, so a launcher
 * reading it sees the old note or the new one. A key or argument holding a line break is never written. Deleted
 * when the launcher's JVM did not fit and the run notes nothing in its place (prelaunching turned off, for one), so
 * that a boot is not wasted on every run.
 *
 * <p>Called on the main thread at the end of a command ({@link EarlyLaunch#close()}). Never throws.
 */
final class LauncherRecipe {
    /** First line of the note: its format. */
    static final String HEADER = "forklift early worker 1";
    /** System property the launcher sets: the note's path. */
    static final String FILE_PROPERTY = "forklift.cli.earlyRecipe";
    /** System property the launcher sets: the note's key for this command line. */
    static final String KEY_PROPERTY = "forklift.cli.earlyKey";

    private final Path file;
    private final String key;

    LauncherRecipe(final Path file, final String key) {
        this.file = file;
        this.key = key;
    }

    /** @return the note the launcher asked for, or empty when it asked for none. */
    static Optional<LauncherRecipe> fromProperties() {
        final String file = System.getProperty(FILE_PROPERTY);
        final String key = System.getProperty(KEY_PROPERTY);
        if (file == null || file.isEmpty() || key == null) {
            return Optional.empty();
        }
        return Optional.of(new LauncherRecipe(Path.of(file), key));
    }

    /**
     * Writes the note of this command line, unless it holds it already; writes nothing when it cannot be noted (a
     * line break in it) or written (the next run then launches its child itself).
     *
     * @param command the first child's command line.
     */
    void write(final List<String> command) {
        final List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.add(key);
        lines.addAll(command);
        if (command.isEmpty() || lines.stream().anyMatch(line -> line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0)) {
            return;
        }
        final String text = String.join("\n", lines) + "\n";
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                return;
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException | RuntimeException ex) {
            try {
                Files.deleteIfExists(temp);
            } catch (final IOException ignored) {
                // nothing more to do
            }
            // an optimisation only: the next run launches its child itself
        }
    }

    /** Deletes the note if it is this key's, so that the launcher starts nothing early for it. Never throws. */
    void forget() {
        if (!read().isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (final IOException | RuntimeException ex) {
                // the next run tries again
            }
        }
    }

    /** @return the command line the note holds for this key, or empty. */
    List<String> read() {
        try {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() > 2 && lines.get(0).equals(HEADER) && lines.get(1).equals(key)) {
                return List.copyOf(lines.subList(2, lines.size()));
            }
        } catch (final IOException | RuntimeException ex) {
            // none
        }
        return List.of();
    }
}
