package dev.forklift.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inputs listed in a file written by {@code forklift run --failed}, for {@code --retry-failed}, as the records
 * of the run: each input with the file and line it first came from, so that a second failure is reported against
 * the original line. A record of a line that could not be read ({@link RejectedLine#isReadError}) holds no input to
 * retry, only a preview: it fails again with its reason (its file must be run again). Immutable once read;
 * single-threaded use.
 */
final class FailedInputs implements RecordSource {
    private final List<Entry> entries;
    private final int maxInputBytes;
    private int position;

    private FailedInputs(final List<Entry> entries, final int maxInputBytes) {
        this.entries = entries;
        this.maxInputBytes = maxInputBytes;
    }

    /**
     * Reads every non-blank line of the file.
     *
     * @param file          a file written by {@code --failed}.
     * @param maxInputBytes the run's {@code --max-input-size}: a longer input fails as too large.
     * @return its inputs, in file order.
     * @throws IllegalArgumentException if a line is not such a record; the message names the file and line.
     * @throws IOException              if the file cannot be read.
     */
    static FailedInputs read(final Path file, final int maxInputBytes) throws IOException {
        final List<Entry> entries = new ArrayList<>();
        JsonLines.read(file, file + " ", (number, fields) -> {
            if (!(fields.get("input") instanceof String)) {
                throw new IllegalArgumentException(file + " line " + number + " has no string \"input\"");
            }
            final String input = (String) fields.get("input");
            if (input.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(file + " line " + number + " has an \"input\" with a line "
                    + "feed, which no line of an input file can hold");
            }
            final Object origin = fields.get("file");
            final Object line = fields.get("line");
            final Object error = fields.get("error");
            final Object message = fields.get("message");
            entries.add(new Entry(input, origin instanceof String ? (String) origin : "?",
                line instanceof Long ? (Long) line : 0,
                error instanceof String && RejectedLine.isReadError((String) error) ? (String) error : null,
                message instanceof String ? ((String) message).replace('\n', ' ') : ""));
        });
        return new FailedInputs(entries, maxInputBytes);
    }

    /** @return how many inputs there are. */
    int size() {
        return entries.size();
    }

    @Override
    public String next(final boolean wanted) {
        if (position == entries.size()) {
            return null;
        }
        final Entry entry = entries.get(position++);
        if (!wanted) {
            return "";
        }
        if (entry.readError() != null) {
            return new RejectedLine(entry.readError(), "not retried, the line was never read (" + entry.message()
                + "); run its file again instead", entry.input()).marker();
        }
        final long bytes = Utf8.length(entry.input());
        if (bytes > maxInputBytes) {
            return new RejectedLine(RejectedLine.TOO_LARGE, "input of " + bytes + " bytes as UTF-8 is longer than "
                + "--max-input-size (" + maxInputBytes + " bytes); raise --max-input-size (at most "
                + RunLimits.MAX_INPUT_SIZE_TEXT + ")", entry.input().substring(0, Math.min(100,
                entry.input().length()))).marker();
        }
        return entry.input();
    }

    @Override
    public long recordsRead() {
        return position;
    }

    @Override
    public boolean exhausted() {
        return position == entries.size();
    }

    @Override
    public String file(final long record) {
        return entries.get((int) record).file();
    }

    @Override
    public long line(final long record) {
        return entries.get((int) record).line();
    }

    @Override
    public void close() {
    }

    private record Entry(String input, String file, long line, String readError, String message) {
    }
}
