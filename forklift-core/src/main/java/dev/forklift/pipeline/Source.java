package dev.forklift.pipeline;

import java.io.Serializable;

/**
 * One source of a pipeline: a file, the lines of a file, standard input, or any user iterable.
 *
 * <p>The parent builds the sources and hands them to the pipeline; each is serialized to the producer process
 * that reads it, where {@link #read} runs once, on one reader thread of that process. Producers take sources one
 * at a time from a shared list, so a slow source occupies one reader only and a broken one fails only itself
 * (then the pipeline's {@link ErrorPolicy} decides).
 *
 * @param <T> the type of the items the source yields.
 */
public interface Source<T> extends Serializable {
    /** @return a short name for progress, failure records and {@code forklift ps}, such as a file path. */
    String name();

    /** @return the size of the source in bytes when known (for progress and ETA), else -1. */
    default long sizeBytes() {
        return -1;
    }

    /**
     * Reads the whole source, in the producer process, handing every item to the context.
     *
     * @param context where items go; {@link SourceContext#emit} blocks while the pipeline is backed up.
     * @throws Exception if the source cannot be read; the failure record names this source and
     *                   {@link SourceContext#position()} at the time of the failure.
     */
    void read(SourceContext<T> context) throws Exception;
}
