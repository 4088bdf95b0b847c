package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.SourceContext;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file as blocks of raw bytes of about {@code blockBytes} each; position = byte offset of the block. A block
 * ends after a line feed when there is one in its second half, else after the last ASCII byte that is neither a
 * letter nor a digit; only a run of letters, digits and non-ASCII bytes longer than the block makes the block
 * grow (up to the run's length). So a block never cuts a UTF-8 sequence or a word.
 */
public final class BlocksSource implements Source<byte[]> {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final int blockBytes;

    /**
     * @param path       the file.
     * @param blockBytes the usual block size, at least 1.
     */
    public BlocksSource(final Path path, final int blockBytes) {
        if (blockBytes < 1) {
            throw new IllegalArgumentException("blockBytes must be positive: blockBytes=" + blockBytes);
        }
        this.path = path.toString();
        this.blockBytes = blockBytes;
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public long sizeBytes() {
        try {
            return Files.size(Path.of(path));
        } catch (final java.io.IOException ex) {
            return -1;
        }
    }

    @Override
    public void read(final SourceContext<byte[]> context) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            byte[] buffer = new byte[blockBytes];
            int filled = 0;
            long offset = 0;
            boolean eof = false;
            while (!eof || filled > 0) {
                while (!eof && filled < buffer.length) {
                    final int n = channel.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
                    if (n < 0) {
                        eof = true;
                    } else {
                        filled += n;
                    }
                }
                int cut = eof ? filled : cutPoint(buffer, filled);
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
    }

    /**
     * Where a block of the first {@code filled} bytes ends (any thread; pure). Also used by the word count's file
     * parts, which cut their blocks the same way.
     *
     * @return the length of the block to emit: after a late line feed, else after the last ASCII separator; 0 if
     *         there is none.
     */
    public static int cutPoint(final byte[] buffer, final int filled) {
        for (int i = filled - 1; i >= filled / 2; i--) {
            if (buffer[i] == '\n') {
                return i + 1;
            }
        }
        for (int i = filled - 1; i >= 0; i--) {
            final byte b = buffer[i];
            if (b >= 0 && !Character.isLetterOrDigit(b)) {
                return i + 1;
            }
        }
        return 0;
    }
}
