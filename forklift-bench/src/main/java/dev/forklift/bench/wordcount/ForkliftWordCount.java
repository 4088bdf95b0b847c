package dev.forklift.bench.wordcount;

import dev.forklift.pipeline.PipelineResult;
import dev.forklift.jobs.wordcount.WordCountJob;

import java.nio.file.Path;
import java.util.List;

/**
 * The Forklift side of the word-count benchmark: {@link WordCountJob} run from this JVM as the parent, with
 * {@code $FORKLIFT_WC_PRODUCERS} producers (default 2, one per core) and {@code $FORKLIFT_WC_CONSUMERS}
 * consumers (default 0: the parent merges the producers' tables), and {@code $FORKLIFT_WC_JVM_OPTIONS} for the job's processes (default
 * {@link WordCountJob#DEFAULT_JVM_OPTIONS}).
 */
public final class ForkliftWordCount {
    private ForkliftWordCount() {
    }

    /**
     * @param files the corpus.
     * @return the pipeline's result: bytes and elapsed time from before its processes start.
     * @throws Exception if the run fails or skips a file.
     */
    public static PipelineResult run(final List<Path> files) throws Exception {
        final int producers = Integer.parseInt(System.getenv().getOrDefault("FORKLIFT_WC_PRODUCERS", "2"));
        final int consumers = Integer.parseInt(System.getenv().getOrDefault("FORKLIFT_WC_CONSUMERS", "0"));
        final String options = System.getenv("FORKLIFT_WC_JVM_OPTIONS");
        final WordCountJob job = new WordCountJob(files).name("bench-wc").producers(producers).consumers(consumers);
        if (options != null) {
            job.jvmOptions(options.isBlank() ? new String[0] : options.trim().split("\\s+"));
        }
        final WordCountJob.Result result = job.run();
        if (!result.pipeline().failures().isEmpty()) {
            throw new IllegalStateException("word count skipped files: " + result.pipeline().failures());
        }
        return result.pipeline();
    }
}
