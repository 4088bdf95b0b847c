package dev.forklift.cli.run;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an interrupted {@code forklift run} needs to go on exactly where it stopped ({@code --resume FILE}): the
 * run's own arguments and directory, the size its output and {@code --failed} files had (the continuation appends
 * to them, and refuses when they changed), the size and time of each input file (it refuses when one changed), and
 * the records not run: those listed, then every record from {@code next} on. Records are counted as
 * {@link RecordSource} reads them, so a continuation that reads the same files skips exactly the records done.
 * Written as JSON lines, into a temporary file that then replaces the state file. Immutable; any thread.
 *
 * @param directory the working directory of the run (its relative paths are relative to it).
 * @param signal    the signal that stopped it, such as {@code SIGINT}.
 * @param args      its arguments, without {@code --resume}.
 * @param outputs   its output files and their sizes.
 * @param inputs    its input files as they were.
 * @param notRun    records before {@code next} that did not run, ascending.
 * @param next      the first record from which none ran.
 * @param done      inputs that succeeded, over this run and the runs it continued.
 * @param failed    inputs that failed, over this run and the runs it continued.
 */
record RunState(String directory, String signal, List<String> args, List<FileSize> outputs, List<FileStamp> inputs,
                long[] notRun, long next, long done, long failed) {
    private static final String FORMAT = "forkliftRunState";
    private static final long VERSION = 1;

    /**
     * A file the run wrote, and its size when it stopped.
     *
     * @param role  {@code --output} or {@code --failed}.
     * @param path  the path as given.
     * @param bytes its size.
     */
    record FileSize(String role, String path, long bytes) {
    }

    /**
     * An input file as the run read it.
     *
     * @param path     the path as given.
     * @param bytes    its size.
     * @param modified its last-modified time, in milliseconds since the epoch.
     */
    record FileStamp(String path, long bytes, long modified) {
        /**
         * @param path a file.
         * @return its stamp now.
         * @throws IOException if it cannot be read.
         */
        static FileStamp of(final String path) throws IOException {
            final Path file = Path.of(path);
            return new FileStamp(path, Files.size(file), Files.getLastModifiedTime(file).toMillis());
        }
    }

    /**
     * Writes the state, replacing the file at once (never half written).
     *
     * @param path the state file.
     * @throws IOException if it cannot be written.
     */
    void write(final Path path) throws IOException {
        final Path absolute = path.toAbsolutePath();
        final Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            final Map<String, Object> head = new LinkedHashMap<>();
            head.put(FORMAT, VERSION);
            head.put("directory", directory);
            head.put("signal", signal);
            head.put("next", next);
            head.put("done", done);
            head.put("failed", failed);
            line(out, head);
            for (final String arg : args) {
                line(out, Map.of("arg", arg));
            }
            for (final FileSize output : outputs) {
                final Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("output", output.role());
                fields.put("path", output.path());
                fields.put("bytes", output.bytes());
                line(out, fields);
            }
            for (final FileStamp input : inputs) {
                final Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("input", input.path());
                fields.put("bytes", input.bytes());
                fields.put("modified", input.modified());
                line(out, fields);
            }
            for (final long record : notRun) {
                line(out, Map.of("notRun", record));
            }
        }
        try {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final AtomicMoveNotSupportedException ex) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void line(final Writer out, final Map<String, ?> fields) throws IOException {
        out.write(Json.object(fields));
        out.write('\n');
    }

    /**
     * @param path a file written by {@link #write}.
     * @return the state.
     * @throws IOException              if it cannot be read.
     * @throws IllegalArgumentException if it is not such a file; the message names the line.
     */
    static RunState read(final Path path) throws IOException {
        final List<String> args = new ArrayList<>();
        final List<FileSize> outputs = new ArrayList<>();
        final List<FileStamp> inputs = new ArrayList<>();
        final List<Long> notRun = new ArrayList<>();
        final List<Map<String, Object>> head = new ArrayList<>(1);
        JsonLines.read(path, "", (number, fields) -> {
            if (number == 1) {
                if (!Long.valueOf(VERSION).equals(fields.get(FORMAT))) {
                    throw new IllegalArgumentException("not a state file written by an interrupted forklift run");
                }
                head.add(fields);
            } else if (fields.get("arg") instanceof String) {
                args.add((String) fields.get("arg"));
            } else if (fields.get("output") instanceof String) {
                outputs.add(new FileSize((String) fields.get("output"), string(fields, "path", number),
                    number(fields, "bytes", number)));
            } else if (fields.get("input") instanceof String) {
                inputs.add(new FileStamp((String) fields.get("input"), number(fields, "bytes", number),
                    number(fields, "modified", number)));
            } else if (fields.get("notRun") instanceof Long) {
                notRun.add((Long) fields.get("notRun"));
            } else {
                throw new IllegalArgumentException("line " + number + " is not part of a run's state");
            }
        });
        if (head.isEmpty()) {
            throw new IllegalArgumentException("the file is empty");
        }
        final Map<String, Object> first = head.get(0);
        return new RunState(string(first, "directory", 1), string(first, "signal", 1), args, outputs, inputs,
            notRun.stream().mapToLong(Long::longValue).toArray(), number(first, "next", 1), number(first, "done", 1),
            number(first, "failed", 1));
    }

    private static String string(final Map<String, Object> fields, final String name, final long line) {
        if (!(fields.get(name) instanceof String)) {
            throw new IllegalArgumentException("line " + line + " has no string \"" + name + "\"");
        }
        return (String) fields.get(name);
    }

    private static long number(final Map<String, Object> fields, final String name, final long line) {
        if (!(fields.get(name) instanceof Long)) {
            throw new IllegalArgumentException("line " + line + " has no whole number \"" + name + "\"");
        }
        return (Long) fields.get(name);
    }
}
