package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.Emitter;
import dev.forklift.pipeline.Stage;

/**
 * Consumer side of the word count: merges the partial maps of its partition and, at the end, sends the merged
 * partition to the parent in pieces of at most {@code maxPieceBytes}.
 */
final class MergeStage implements Stage<WordCounts, WordCounts> {
    private static final long serialVersionUID = 1L;
    private final long maxPieceBytes;
    private transient WordCounts merged;

    MergeStage(final long maxPieceBytes) {
        this.maxPieceBytes = maxPieceBytes;
    }

    @Override
    public void process(final WordCounts piece, final Emitter<WordCounts> output) {
        if (merged == null) {
            merged = piece;
        } else {
            merged.addAll(piece);
        }
    }

    @Override
    public void finish(final Emitter<WordCounts> output) throws InterruptedException {
        if (merged != null) {
            merged.split(1, maxPieceBytes, (partition, piece) -> output.emit(piece));
        }
    }
}
