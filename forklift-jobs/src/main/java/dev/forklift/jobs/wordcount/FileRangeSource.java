package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.SourceContext;
import dev.forklift.pipeline.internal.BlocksSource;
import dev.forklift.process.internal.StartupTrace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A part of a file as blocks of raw bytes, so that several producers share one big file: the work unit of the
 * word count ({@link WorkUnits}). Built in the parent, read in a producer process.
 *
 * <p>The part is given by two nominal offsets, {@code from} and {@code to}; its real bounds are moved forward to
 * just after the first ASCII byte that is neither a letter nor a digit at or after each nominal offset (the
 * file's start and end stay as they are). Such a byte never belongs to a word nor to a UTF-8 sequence, and both
 * neighbours compute the same bound from the same nominal offset, so the parts of a file cover it exactly, each
 * byte once, and every word lies wholly in one part. A part may thus be empty (a run of letters across a whole
 * nominal part). Within the part, blocks of about {@code blockBytes} end after a line feed in their second half,
 * else after the last ASCII separator, as {@link dev.forklift.pipeline.Sources#blocks} cuts them. Position =
 * byte offset in the file. {@code to = Long.MAX_VALUE} reads to the end of the file, whatever its size then.
 */
public final class FileRangeSource implements Source<byte[]> {
    private static final long serialVersionUID = 1L;
    /** Bytes read at a time while looking for a bound. */
    private static final int SCAN_BYTES = 4096;
    /** The smallest block buffer, for ranges smaller than this. */
    private static final int MIN_BUFFER_BYTES = 4096;
    /** The file, as a string (a {@link Path} is not serializable). */
    private final String path;
    /** Nominal start offset in bytes. */
    private final long from;
    /** Nominal end offset in bytes, {@link Long#MAX_VALUE} for the end of the file. */
    private final long to;
    /** The usual block size in bytes. */
    private final int blockBytes;

    /**
     * @param path       the file.
     * @param from       nominal start offset, at least 0.
     * @param to         nominal end offset, at least {@code from}; {@link Long#MAX_VALUE} for the end of the file.
     * @param blockBytes the usual block size, at least 1.
     * @throws IllegalArgumentException if an offset or the block size is out of range; the message names it.
     */
    public FileRangeSource(final Path path, final long from, final long to, final int blockBytes) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("need 0 <= from <= to: from=" + from + ", to=" + to);
        }
        if (blockBytes < 1) {
            throw new IllegalArgumentException("blockBytes must be positive: blockBytes=" + blockBytes);
        }
        this.path = path.toString();
        this.from = from;
        this.to = to;
        this.blockBytes = blockBytes;
    }

    /** @return the file's path: failure records and progress name the file. */
    @Override
    public String name() {
        return path;
    }

    /** @return the nominal length of the part, or -1 when it reads to the end of a file of unknown size. */
    @Override
    public long sizeBytes() {
        return to == Long.MAX_VALUE ? -1 : to - from;
    }

    /** @return the nominal start offset. */
    public long from() {
        return from;
    }

    /** @return the nominal end offset ({@link Long#MAX_VALUE}: the end of the file). */
    public long to() {
        return to;
    }

    @Override
    public void read(final SourceContext<byte[]> context) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            final long start = bound(channel, from);
            final long end = to == Long.MAX_VALUE ? Long.MAX_VALUE : bound(channel, to);
            if (end <= start) {
                return;
            }
            if (start > 0) {
                channel.position(start); // A part of a regular file; a whole file is read in order (pipes too).
            }
            readBlocks(channel, start, end, context);
        }
        if (StartupTrace.enabled()) {
            StartupTrace.stamp("wordcount: unit " + Path.of(path).getFileName() + " " + (from >> 20) + "-"
                + (to == Long.MAX_VALUE ? "end" : String.valueOf(to >> 20)) + " MiB read");
        }
    }

    private void readBlocks(final FileChannel channel, final long start, final long end,
        final SourceContext<byte[]> context) throws IOException, InterruptedException {
        // A block's buffer no bigger than the range (and one byte to see its end): a tiny file does not get a 1 MiB
        // array, nor the 1 MiB direct buffer the JDK reads a heap buffer through. A file that grows meanwhile is read
        // in more blocks (a run longer than the buffer doubles it).
        final long size = channel.size(); // 0 for a pipe: its blocks keep their usual size
        final long rangeBytes = size == 0 ? blockBytes : (end == Long.MAX_VALUE ? size : end) - start;
        byte[] buffer = new byte[(int) Math.max(1, Math.min(blockBytes, Math.max(MIN_BUFFER_BYTES, rangeBytes + 1)))];
        int filled = 0;
        long offset = start;
        long readAt = start;
        boolean eof = false;
        while (!eof || filled > 0) {
            while (!eof && filled < buffer.length) {
                final int want = (int) Math.min(buffer.length - filled, end - readAt);
                final int n = want == 0 ? -1 : channel.read(ByteBuffer.wrap(buffer, filled, want));
                if (n < 0) {
                    eof = true;
                } else {
                    filled += n;
                    readAt += n;
                }
            }
            final int cut = eof ? filled : BlocksSource.cutPoint(buffer, filled);
            if (cut == 0) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2); // One run longer than the block.
                continue;
            }
            context.position(offset);
            context.addBytesRead(cut);
            context.emit(Arrays.copyOf(buffer, cut));
            System.arraycopy(buffer, cut, buffer, 0, filled - cut);
            filled -= cut;
            offset += cut;
        }
    }

    /**
     * @return the real bound for a nominal offset: 0 stays 0; else just after the first ASCII separator at or after
     * it, or the end of the file when there is none.
     */
    static long bound(final FileChannel channel, final long nominal) throws IOException {
        if (nominal == 0) {
            return 0;
        }
        final ByteBuffer scan = ByteBuffer.allocate(SCAN_BYTES);
        long at = nominal;
        while (true) {
            scan.clear();
            final int n = channel.read(scan, at);
            if (n < 0) {
                return Math.max(nominal, channel.size());
            }
            for (int i = 0; i < n; i++) {
                if (isSeparator(scan.get(i))) {
                    return at + i + 1;
                }
            }
            at += n;
        }
    }

    /** @return true for an ASCII byte that is neither a letter nor a digit: no word and no UTF-8 sequence holds it. */
    static boolean isSeparator(final byte b) {
        return b >= 0 && !Character.isLetterOrDigit(b);
    }
}
