package dev.forklift.pipeline;

/**
 * Receives the progress of a running pipeline, in the parent, on the pipeline's supervisor thread (keep it
 * cheap; never block). Deltas since the previous call.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param bytesRead   bytes read from sources.
     * @param itemsRead   items the sources yielded.
     * @param failures    failure records.
     * @param sourcesDone sources read to their end (or failed).
     */
    void onProgress(long bytesRead, long itemsRead, long failures, long sourcesDone);
}
