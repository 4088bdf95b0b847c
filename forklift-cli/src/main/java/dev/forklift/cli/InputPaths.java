package dev.forklift.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks the paths a command was given before it starts any process, so that every command answers a bad path
 * the same way: exit code {@value ExitCodes#USAGE} and one line on standard error, such as
 * {@code forklift run: cannot read input 'x.txt': no such file}. Called by the commands on their own thread,
 * before anything is opened for writing; reads file attributes only, never blocks for long. Stateless.
 *
 * <p>A check only says what is true when it runs: a file may still vanish before it is read, which the command then
 * reports as it always did.
 */
public final class InputPaths {
    private InputPaths() {
    }

    /**
     * A path that cannot be used. Its message is the line to print after {@code forklift COMMAND: }, naming the
     * role of the path (such as {@code input} or {@code --output}), the path as given, and what is wrong.
     */
    public static final class BadPathException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message the line to print, without the command's name. */
        public BadPathException(final String message) {
            super(message);
        }
    }

    /**
     * Requires a file that can be read: it exists, is not a directory, and is readable.
     *
     * @param role the name of what the path is for, such as {@code input} or {@code --retry-failed file}.
     * @param path the path as the user gave it.
     * @throws BadPathException naming the role, the path and the reason.
     */
    public static void requireReadableFile(final String role, final String path) throws BadPathException {
        final BasicFileAttributes attributes = attributes("read", role, path, "no such file");
        if (attributes.isDirectory()) {
            throw new BadPathException(cannot("read", role, path, "is a directory"));
        }
        if (!Files.isReadable(Path.of(path))) {
            throw new BadPathException(cannot("read", role, path, "permission denied"));
        }
    }

    /**
     * Requires a directory that can be listed and read.
     *
     * @param role the name of what the path is for, such as {@code --sources}.
     * @param path the path as the user gave it.
     * @throws BadPathException naming the role, the path and the reason.
     */
    public static void requireReadableDirectory(final String role, final String path) throws BadPathException {
        final BasicFileAttributes attributes = attributes("read", role, path, "no such directory");
        if (!attributes.isDirectory()) {
            throw new BadPathException(cannot("read", role, path, "not a directory"));
        }
        if (!Files.isReadable(Path.of(path)) || !Files.isExecutable(Path.of(path))) {
            throw new BadPathException(cannot("read", role, path, "permission denied"));
        }
    }

    /**
     * Requires a file or a directory that can be read (a directory is read recursively by the caller).
     *
     * @param role the name of what the path is for, such as {@code input}.
     * @param path the path as the user gave it.
     * @throws BadPathException naming the role, the path and the reason.
     */
    public static void requireReadablePath(final String role, final String path) throws BadPathException {
        final BasicFileAttributes attributes = attributes("read", role, path, "no such file or directory");
        if (attributes.isDirectory()) {
            requireReadableDirectory(role, path);
        } else if (!Files.isReadable(Path.of(path))) {
            throw new BadPathException(cannot("read", role, path, "permission denied"));
        }
    }

    /**
     * Requires a path a file can be written to: its directory exists and is writable, and the path is not a
     * directory. The file itself need not exist.
     *
     * @param role the name of the option, such as {@code --output}.
     * @param path the path as the user gave it.
     * @throws BadPathException naming the role, the path and the reason.
     */
    public static void requireWritableFile(final String role, final Path path) throws BadPathException {
        final String text = path.toString();
        if (Files.isDirectory(path)) {
            throw new BadPathException(cannot("write", role, text, "is a directory"));
        }
        if (Files.exists(path)) {
            if (!Files.isWritable(path)) {
                throw new BadPathException(cannot("write", role, text, "permission denied"));
            }
            return;
        }
        final Path parent = path.toAbsolutePath().getParent();
        final String shown = path.getParent() == null ? "." : path.getParent().toString();
        if (parent == null || !Files.exists(parent)) {
            throw new BadPathException(cannot("write", role, text, "no such directory '" + shown + "'"));
        }
        if (!Files.isDirectory(parent)) {
            throw new BadPathException(cannot("write", role, text, "'" + shown + "' is not a directory"));
        }
        if (!Files.isWritable(parent)) {
            throw new BadPathException(cannot("write", role, text, "permission denied in '" + shown + "'"));
        }
    }

    /**
     * Prints a bad path as the command's one line of error.
     *
     * @param commandLine the command that was given the path.
     * @param ex          the problem.
     * @return {@link ExitCodes#USAGE}, for the command to return.
     */
    public static int report(final CommandLine commandLine, final BadPathException ex) {
        final PrintWriter err = commandLine.getErr();
        err.println("forklift " + commandLine.getCommandName() + ": " + ex.getMessage());
        err.flush();
        return ExitCodes.USAGE;
    }

    private static BasicFileAttributes attributes(final String verb, final String role, final String path,
        final String missing) throws BadPathException {
        try {
            return Files.readAttributes(Path.of(path), BasicFileAttributes.class);
        } catch (final NoSuchFileException ex) {
            throw new BadPathException(cannot(verb, role, path, missing));
        } catch (final AccessDeniedException ex) {
            throw new BadPathException(cannot(verb, role, path, "permission denied"));
        } catch (final FileSystemException ex) {
            // For example "Not a directory" when a file stands where a directory of the path should be.
            throw new BadPathException(cannot(verb, role, path, ex.getReason() == null ? missing
                : ex.getReason().toLowerCase(java.util.Locale.ROOT)));
        } catch (final IOException ex) {
            throw new BadPathException(cannot(verb, role, path, String.valueOf(ex.getMessage())));
        } catch (final InvalidPathException ex) {
            throw new BadPathException(cannot(verb, role, path, "invalid path: " + ex.getReason()));
        }
    }

    private static String cannot(final String verb, final String role, final String path, final String reason) {
        return "cannot " + verb + " " + role + " '" + path + "': " + reason;
    }
}
