package dev.forklift.cli.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The lines of several files, one after the other, read lazily ({@code -} is standard input). Single-threaded;
 * {@link #close()} closes the file being read.
 */
final class LineSource implements Iterator<String>, AutoCloseable {
    private final List<String> files;
    private final InputStream stdin;
    private int nextFile;
    private BufferedReader reader;
    private String nextLine;

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
        return line;
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
