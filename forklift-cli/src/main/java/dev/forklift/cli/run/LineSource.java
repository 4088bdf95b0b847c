package dev.forklift.cli.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The lines of several files, one after the other, read lazily ({@code -} is standard input). Single-threaded;
 * {@link #close()} closes the file being read. Knows which file and line each line it returned came from.
 */
final class LineSource implements Iterator<String>, AutoCloseable, InputOrigins {
    private final List<String> files;
    private final InputStream stdin;
    private int nextFile;
    private BufferedReader reader;
    private String nextLine;
    private long returned;
    /** For each file that had lines, in order: its index in {@link #files} and the index of its first line. */
    private final List<long[]> starts = new ArrayList<>();

    LineSource(final List<String> files, final InputStream stdin) {
        this.files = files;
        this.stdin = stdin;
    }

    @Override
    public boolean hasNext() {
        try {
            while (nextLine == null) {
                if (reader == null) {
                    if (nextFile == files.size()) {
                        return false;
                    }
                    final String file = files.get(nextFile++);
                    reader = new BufferedReader(new InputStreamReader(file.equals("-") ? stdin
                        : Files.newInputStream(Path.of(file)), StandardCharsets.UTF_8));
                }
                nextLine = reader.readLine();
                if (nextLine == null) {
                    closeReader();
                }
            }
            return true;
        } catch (final IOException ex) {
            throw new UncheckedIOException("cannot read " + files.get(nextFile - 1) + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final String line = nextLine;
        nextLine = null;
        final int fileIndex = nextFile - 1;
        if (starts.isEmpty() || starts.get(starts.size() - 1)[0] != fileIndex) {
            starts.add(new long[] {fileIndex, returned});
        }
        returned++;
        return line;
    }

    @Override
    public String file(final long index) {
        return files.get((int) startOf(index)[0]);
    }

    @Override
    public long line(final long index) {
        return index - startOf(index)[1] + 1;
    }

    private long[] startOf(final long index) {
        if (index < 0 || index >= returned) {
            throw new IllegalArgumentException("no line was read at index " + index + ": index=" + index);
        }
        int low = 0;
        int high = starts.size() - 1;
        while (low < high) {
            final int mid = (low + high + 1) >>> 1;
            if (starts.get(mid)[1] <= index) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return starts.get(low);
    }

    @Override
    public void close() throws IOException {
        closeReader();
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            final boolean isStdin = files.get(nextFile - 1).equals("-");
            if (!isStdin) {
                reader.close();
            }
            reader = null;
        }
    }
}
