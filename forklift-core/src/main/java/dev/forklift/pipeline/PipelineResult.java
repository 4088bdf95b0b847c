package dev.forklift.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * How a pipeline run ended (successfully, possibly with skipped failures).
 *
 * @param itemsDelivered items the sink accepted.
 * @param itemsRead      items the sources yielded.
 * @param bytesRead      bytes the sources reported read.
 * @param sourcesDone    sources read to their end or failed.
 * @param failures       every failure record, in the order the parent received them.
 * @param elapsed        from start of the processes to the end of the sink.
 * @param producerRestarts  producer processes started to replace dead ones
 *                          ({@link PipelineBuilder#producerRestarts(int)}).
 * @param duplicatesDropped items a restarted producer emitted again, dropped before the sink.
 */
public record PipelineResult(long itemsDelivered, long itemsRead, long bytesRead, long sourcesDone,
                             List<FailureRecord> failures, Duration elapsed, long producerRestarts,
                             long duplicatesDropped) {
    /**
     * A result without restarts.
     *
     * @param itemsDelivered items the sink accepted.
     * @param itemsRead      items the sources yielded.
     * @param bytesRead      bytes the sources reported read.
     * @param sourcesDone    sources read to their end or failed.
     * @param failures       every failure record.
     * @param elapsed        from start of the processes to the end of the sink.
     */
    public PipelineResult(final long itemsDelivered, final long itemsRead, final long bytesRead,
        final long sourcesDone, final List<FailureRecord> failures, final Duration elapsed) {
        this(itemsDelivered, itemsRead, bytesRead, sourcesDone, failures, elapsed, 0, 0);
    }

    /** @return bytes read per second of elapsed time, in MB/s (10^6 bytes). */
    public double megabytesPerSecond() {
        return bytesRead / 1e6 / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
}
