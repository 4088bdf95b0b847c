package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.Emitter;
import dev.forklift.pipeline.Stage;

/**
 * Producer side of the word count: tokenizes blocks of text into a local {@link WordCounts} and, when it grows
 * past {@code flushBytes} (and at the end), sends it on split by partition, one message per piece. So the
 * consumers get a few partial maps, never one message per word.
 */
final class TokenizeStage implements Stage<byte[], WordCounts> {
    private static final long serialVersionUID = 1L;
    private final long flushBytes;
    private final long maxPieceBytes;
    private transient Tokenizer tokenizer;
    private transient WordCounts local;

    TokenizeStage(final long flushBytes, final long maxPieceBytes) {
        this.flushBytes = flushBytes;
        this.maxPieceBytes = maxPieceBytes;
    }

    @Override
    public void process(final byte[] block, final Emitter<WordCounts> output) throws InterruptedException {
        if (tokenizer == null) {
            tokenizer = new Tokenizer();
            local = new WordCounts();
        }
        tokenizer.count(block, 0, block.length, local);
        if (local.encodedBytesEstimate() > flushBytes) {
            flush(output);
        }
    }

    @Override
    public void finish(final Emitter<WordCounts> output) throws InterruptedException {
        if (local != null && local.size() > 0) {
            flush(output);
        }
    }

    private void flush(final Emitter<WordCounts> output) throws InterruptedException {
        local.split(output.partitions(), maxPieceBytes, output::emit);
        local = new WordCounts();
    }
}
