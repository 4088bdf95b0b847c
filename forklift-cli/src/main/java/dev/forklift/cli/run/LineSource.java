package dev.forklift.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of several files, one after the other, read lazily ({@code -} is standard input), as the records of a
 * {@code forklift run}. Used by the thread that feeds the pool only; {@link #close()} closes the file being read.
 *
 * <p>Lines are what {@code wc -l}, {@code grep -n} and {@code sed -n Np} count: a line ends at a line feed (LF); a
 * carriage return right before it is dropped (CRLF files give the same inputs as LF files); a carriage return
 * anywhere else is part of the line, so it never shifts the numbering. A last line without LF is a line; a UTF-8
 * byte order mark at the start of a file is dropped. Each line is decoded with the run's encoding, strictly: a
 * line with bytes that are invalid in it, or longer than the limit (in bytes as read, and as UTF-8 text), becomes a
 * {@link RejectedLine} marker naming the problem, the byte and what to do, never a silently altered input. Reading
 * keeps at most the limit of bytes of a line in memory, however long the line.
 *
 * <p>Only encodings in which a line feed is the single byte 0x0A can be read ({@link #checkEncoding}).
 */
final class LineSource implements RecordSource {
    private static final int READ_BUFFER_BYTES = 1 << 16;
    private static final int PREVIEW_BYTES = 100;
    /** Room kept beyond the limit: a byte order mark and a carriage return, which are not part of the input. */
    private static final int SLACK_BYTES = 4;

    private final List<String> files;
    private final InputStream stdin;
    private final Charset charset;
    private final boolean utf8;
    private final int maxLineBytes;
    private final CharsetDecoder decoder;
    private final byte[] buffer = new byte[READ_BUFFER_BYTES];
    /** For each file that had lines, in order: its index in {@link #files} and the index of its first record. */
    private final List<long[]> starts = new ArrayList<>();

    private InputStream in;
    private int nextFile;
    private long linesOfFile;
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int kept;
    private long lineBytes;
    private int lastByte;
    private boolean endedByLineFeed;
    private CharBuffer chars = CharBuffer.allocate(256);
    private long records;
    private boolean exhausted;

    /**
     * @param files        the files, {@code -} for standard input.
     * @param stdin        standard input.
     * @param charset      the encoding of every file; see {@link #checkEncoding}.
     * @param maxLineBytes the longest line accepted, in bytes as read and as UTF-8.
     */
    LineSource(final List<String> files, final InputStream stdin, final Charset charset, final int maxLineBytes) {
        this.files = List.copyOf(files);
        this.stdin = stdin;
        this.charset = charset;
        this.utf8 = charset.equals(StandardCharsets.UTF_8);
        this.maxLineBytes = maxLineBytes;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * @param charset an encoding asked for with {@code --encoding}.
     * @throws IllegalArgumentException if its line feed is not the single byte 0x0A (such as UTF-16), so that its
     *                                  files cannot be cut into lines byte by byte; the message names it.
     */
    static void checkEncoding(final Charset charset) {
        if (!charset.canEncode() || !Arrays.equals("\n".getBytes(charset), new byte[] {'\n'})) {
            throw new IllegalArgumentException("--encoding " + charset.name() + " is not supported: forklift run "
                + "reads encodings in which a line feed is the byte 0x0A (such as UTF-8, ISO-8859-1, windows-1252, "
                + "Shift_JIS, GB18030); convert the file first, for example with iconv -f " + charset.name()
                + " -t UTF-8");
        }
    }

    @Override
    public String next(final boolean wanted) throws IOException {
        while (true) {
            if (in == null) {
                if (nextFile == files.size()) {
                    exhausted = true;
                    return null;
                }
                final String file = files.get(nextFile++);
                in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
                linesOfFile = 0;
                position = 0;
                limit = 0;
            }
            final boolean read;
            try {
                read = readLine();
            } catch (final IOException ex) {
                throw new IOException("cannot read " + files.get(nextFile - 1) + ": " + ex.getMessage(), ex);
            }
            if (read) {
                return finish(wanted);
            }
            closeFile();
        }
    }

    /** Reads up to the next line feed; keeps the first bytes of the line. @return false at the end of the file. */
    private boolean readLine() throws IOException {
        kept = 0;
        lineBytes = 0;
        lastByte = -1;
        endedByLineFeed = false;
        final int keep = maxLineBytes + SLACK_BYTES;
        while (true) {
            if (position == limit) {
                final int n = in.read(buffer);
                if (n < 0) {
                    return lineBytes > 0;
                }
                position = 0;
                limit = n;
                continue;
            }
            int lineFeed = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    lineFeed = i;
                    break;
                }
            }
            final int end = lineFeed < 0 ? limit : lineFeed;
            final int count = end - position;
            if (count > 0) {
                final int copy = Math.min(count, keep - kept);
                if (copy > 0) {
                    if (kept + copy > line.length) {
                        line = Arrays.copyOf(line, Math.min(keep, Math.max(kept + copy, line.length * 2)));
                    }
                    System.arraycopy(buffer, position, line, kept, copy);
                    kept += copy;
                }
                lastByte = buffer[end - 1];
                lineBytes += count;
            }
            position = lineFeed < 0 ? limit : lineFeed + 1;
            if (lineFeed >= 0) {
                endedByLineFeed = true;
                return true;
            }
        }
    }

    /** Counts the line just read as a record and turns it into an input or a marker. */
    private String finish(final boolean wanted) {
        if (starts.isEmpty() || starts.get(starts.size() - 1)[0] != nextFile - 1) {
            starts.add(new long[] {nextFile - 1, records});
        }
        records++;
        linesOfFile++;
        if (!wanted) {
            return "";
        }
        final int from = utf8 && linesOfFile == 1 && kept >= 3 && (line[0] & 0xff) == 0xef
            && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf ? 3 : 0;
        final long bytes = lineBytes - from - (endedByLineFeed && lastByte == '\r' ? 1 : 0);
        if (bytes > maxLineBytes) {
            return new RejectedLine(RejectedLine.TOO_LARGE, "line of " + bytes + " bytes is longer than "
                + "--max-input-size (" + maxLineBytes + " bytes); raise --max-input-size (at most "
                + RunLimits.MAX_INPUT_SIZE_TEXT + ")", preview(from, (int) Math.min(bytes, PREVIEW_BYTES), bytes))
                .marker();
        }
        final int length = (int) bytes;
        decoder.reset();
        final ByteBuffer source = ByteBuffer.wrap(line, from, length);
        final int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) (length * (double) decoder.maxCharsPerByte()) + 4);
        if (chars.capacity() < capacity) {
            chars = CharBuffer.allocate(capacity);
        }
        chars.clear();
        CoderResult result = decoder.decode(source, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            return new RejectedLine(RejectedLine.MALFORMED, describe(result, source.position(), from),
                preview(from, Math.min(length, PREVIEW_BYTES), length)).marker();
        }
        chars.flip();
        final String text = chars.toString();
        if (!utf8 && Utf8.length(text) > maxLineBytes) {
            return new RejectedLine(RejectedLine.TOO_LARGE, "line of " + Utf8.length(text) + " bytes as UTF-8 is "
                + "longer than --max-input-size (" + maxLineBytes + " bytes); raise --max-input-size (at most "
                + RunLimits.MAX_INPUT_SIZE_TEXT + ")", preview(from, Math.min(length, PREVIEW_BYTES), length))
                .marker();
        }
        return text;
    }

    private String describe(final CoderResult result, final int at, final int from) {
        final StringBuilder bytes = new StringBuilder();
        final int count = Math.max(1, Math.min(result.length(), kept - at));
        for (int i = 0; i < count; i++) {
            bytes.append(i == 0 ? "" : " ").append(String.format("0x%02X", line[at + i] & 0xff));
        }
        final String what = (count == 1 ? "byte " : "bytes ") + bytes + " at byte " + (at - from + 1) + " of the line";
        return result.isMalformed()
            ? what + (count == 1 ? " is" : " are") + " not valid " + charset.name()
                + "; give the file's encoding with --encoding"
            : what + " cannot be mapped to Unicode in " + charset.name() + "; give the file's encoding with --encoding";
    }

    private String preview(final int from, final int length, final long total) {
        final String text = new String(line, from, Math.min(length, kept - from), charset).replace('\r', ' ');
        return total > length ? text + "..." : text;
    }

    @Override
    public long recordsRead() {
        return records;
    }

    @Override
    public boolean exhausted() {
        return exhausted;
    }

    @Override
    public String file(final long record) {
        return files.get((int) startOf(record)[0]);
    }

    @Override
    public long line(final long record) {
        return record - startOf(record)[1] + 1;
    }

    private long[] startOf(final long record) {
        if (record < 0 || record >= records) {
            throw new IllegalArgumentException("no line was read at index " + record + ": record=" + record);
        }
        int low = 0;
        int high = starts.size() - 1;
        while (low < high) {
            final int mid = (low + high + 1) >>> 1;
            if (starts.get(mid)[1] <= record) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return starts.get(low);
    }

    @Override
    public void close() throws IOException {
        closeFile();
    }

    private void closeFile() throws IOException {
        if (in != null) {
            final InputStream current = in;
            in = null;
            if (current != stdin) {
                current.close();
            }
        }
    }
}
