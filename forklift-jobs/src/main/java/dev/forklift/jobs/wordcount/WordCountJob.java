package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.Pipeline;
import dev.forklift.pipeline.PipelineBuilder;
import dev.forklift.pipeline.PipelineResult;
import dev.forklift.pipeline.ProgressListener;
import dev.forklift.pipeline.Routing;
import dev.forklift.pipeline.SourceContext;
import dev.forklift.pipeline.Sources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The word-count job on a {@link Pipeline}: producer processes read the files in blocks and tokenize them into
 * local counts (rule: {@link Tokenizer}); they send partial counts, split by word partition, to consumer
 * processes, one queue per consumer; each consumer merges its partition; the parent merges the partitions.
 *
 * <pre>
 *  files --> [ sources ] --> producer 0..N-1: read blocks, tokenize, count locally
 *                               |  partial counts, split by partition of the word hash
 *                               +--> [ queue 0 ] --> consumer 0: merge partition 0 --+
 *                               +--> [ queue 1 ] --> consumer 1: merge partition 1 --+--> [ sink queue ] --> parent:
 *                               +--> [ ...     ] --> ...                          ---+     union of the partitions
 * </pre>
 *
 * With {@code consumers(0)} there is no merge step: the producers send their tables straight to the parent,
 * which merges them as they arrive. That is the default: with a natural vocabulary the partial tables are small
 * (one per producer), and a merge process costs a JVM start (measured: about 0.6 s of CPU on 2 cores, taken from
 * the producers) and one more hand-over for little work (docs/pipelines.md). Consumer processes pay off for
 * vocabularies too big for one process to merge.
 *
 * <p>The files are cut into work units ({@link WorkUnits}): parts of big files, so the producers end together,
 * and at most one producer per 16 MiB of input, so a tiny input starts one producer. The pipeline's
 * {@code sourcesDone} counts units; the progress listener is told of whole files.
 *
 * <p>Configure with the fluent setters, then {@link #run}. Used in the parent; not thread-safe. {@link #run}
 * blocks until every process has ended.
 */
public final class WordCountJob {
    /**
     * A producer sends its local counts once they would take this many bytes (so with a natural-language
     * vocabulary it sends them once, at the end; the bound keeps a producer's memory small on huge vocabularies).
     */
    public static final long FLUSH_BYTES = 16 << 20;
    /**
     * JVM options of the job's processes: the serial collector, since each process is single-threaded and
     * allocates little (it starts faster and leaves the cores to the work).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC");
    /**
     * The job's classes in a producer's plan (its stage, codec and sources), for a command line that prepares their
     * encoding early ({@code JobRun.warmPlanEncoding}).
     */
    public static final List<String> PLAN_CLASSES = List.of(TokenizeStage.class.getName(),
        WordCountsCodec.class.getName(), FileRangeSource.class.getName());
    /** Largest message between the processes. */
    public static final int MAX_MESSAGE_BYTES = 4 << 20;

    private final List<Path> files;
    private int producers = 2;
    private int consumers = 0;
    private ErrorPolicy policy = ErrorPolicy.skipAndRecord();
    private ProgressListener listener = (bytes, items, failures, sources) -> { };
    private String name = "wordcount";
    private String[] jvmOptions = DEFAULT_JVM_OPTIONS.toArray(new String[0]);

    /** @param files the files to count; a big one is cut into parts ({@link WorkUnits}). */
    public WordCountJob(final List<Path> files) {
        this.files = List.copyOf(Objects.requireNonNull(files, "files"));
    }

    /**
     * @param count the most producer processes, 1 to 256 (default 2); fewer for a small input ({@link WorkUnits}).
     * @return this job.
     */
    public WordCountJob producers(final int count) {
        this.producers = checkProcesses("producers", count);
        return this;
    }

    /**
     * @param count consumer processes (= partitions), 0 to 256; 0 (the default): the parent merges the
     *              producers' tables itself.
     * @return this job.
     * @throws IllegalArgumentException if {@code count} is out of range; the message names it.
     */
    public WordCountJob consumers(final int count) {
        this.consumers = count == 0 ? 0 : checkProcesses("consumers", count);
        return this;
    }

    /**
     * @param errorPolicy the error policy; default skip-and-record.
     * @return this job.
     */
    public WordCountJob errorPolicy(final ErrorPolicy errorPolicy) {
        this.policy = Objects.requireNonNull(errorPolicy, "errorPolicy");
        return this;
    }

    /**
     * @param progress told of progress on the supervisor thread.
     * @return this job.
     */
    public WordCountJob onProgress(final ProgressListener progress) {
        this.listener = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * @param options JVM options of the job's processes (replacing {@link #DEFAULT_JVM_OPTIONS}).
     * @return this job.
     */
    public WordCountJob jvmOptions(final String... options) {
        this.jvmOptions = options.clone();
        return this;
    }

    /**
     * @param jobName the job name shown by {@code forklift ps}.
     * @return this job.
     */
    public WordCountJob name(final String jobName) {
        this.name = jobName;
        return this;
    }

    /**
     * Runs the job to the end.
     *
     * @return the merged counts and how the pipeline went.
     * @throws dev.forklift.pipeline.PipelineFailedException if the pipeline stopped early.
     * @throws InterruptedException if interrupted.
     */
    public Result run() throws InterruptedException {
        final Merger total = new Merger();
        final WorkUnits units = WorkUnits.plan(files, producers, Sources.DEFAULT_BLOCK_BYTES);
        PipelineBuilder<WordCounts> builder = Pipeline.read(byte[].class, units.sources()).name(name)
            .producers(units.producers())
            .map("tokenize", new TokenizeStage(FLUSH_BYTES, MAX_MESSAGE_BYTES / 2), WordCounts.class)
            .codec(new WordCountsCodec());
        if (consumers > 0) {
            builder = builder.stage("merge", consumers, Routing.explicit(), new MergeStage(MAX_MESSAGE_BYTES / 2),
                WordCounts.class).codec(new WordCountsCodec());
        }
        try (Pipeline<WordCounts> pipeline = builder.queueCapacity(16).maxMessageBytes(MAX_MESSAGE_BYTES)
            .errorPolicy(policy).onProgress(new FilesDone(units.sources(), listener)).jvmOptions(jvmOptions).build()) {
            final PipelineResult result = pipeline.run(total::add);
            return new Result(total.counts(), result);
        }
    }

    /**
     * Counts the files on the calling thread only, with the same reading and tokenizing: the baseline the
     * pipeline is measured against.
     *
     * @param files the files.
     * @return the counts.
     * @throws Exception if a file cannot be read.
     */
    public static WordCounts countSingleThreaded(final List<Path> files) throws Exception {
        final WordCounts counts = new WordCounts();
        final Tokenizer tokenizer = new Tokenizer();
        for (final Path file : files) {
            countBlocks(file, Sources.DEFAULT_BLOCK_BYTES, tokenizer, counts);
        }
        return counts;
    }

    /**
     * Counts the words of one file on the calling thread, read in blocks that never cut a word.
     *
     * @param file       the file.
     * @param blockBytes the block size.
     * @param tokenizer  the tokenizer (it keeps the running word total).
     * @param counts     where the counts go.
     * @throws Exception if the file cannot be read.
     */
    public static void countBlocks(final Path file, final int blockBytes, final Tokenizer tokenizer,
        final WordCounts counts) throws Exception {
        Sources.blocks(List.of(file), blockBytes).get(0).read(new SourceContext<>() {
            @Override
            public void emit(final byte[] item) {
                tokenizer.count(item, 0, item.length, counts);
            }

            @Override
            public void position(final long position) {
            }

            @Override
            public long position() {
                return 0;
            }

            @Override
            public void addBytesRead(final long bytes) {
            }
        });
    }

    /**
     * Tells the caller's listener of files done rather than units done: a file counts as done once as many units
     * are done as the file and every file before it have (units finish about in order, and all are done at the
     * end, so the count is exact at the end). Called on the supervisor thread only.
     */
    private static final class FilesDone implements ProgressListener {
        private final long[] unitsThroughFile;
        private final ProgressListener target;
        private long unitsDone;
        private int filesDone;

        FilesDone(final List<dev.forklift.pipeline.Source<byte[]>> units, final ProgressListener target) {
            final List<Long> through = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                if (u == units.size() - 1 || ((FileRangeSource) units.get(u + 1)).from() == 0) { // a file ends
                    through.add((long) u + 1);
                }
            }
            this.unitsThroughFile = through.stream().mapToLong(Long::longValue).toArray();
            this.target = target;
        }

        @Override
        public void onProgress(final long bytes, final long items, final long failures, final long sourcesDone) {
            unitsDone += sourcesDone;
            int files = filesDone;
            while (files < unitsThroughFile.length && unitsThroughFile[files] <= unitsDone) {
                files++;
            }
            final int newlyDone = files - filesDone;
            filesDone = files;
            target.onProgress(bytes, items, failures, newlyDone);
        }
    }

    /** The parent's merge: the first table received is kept as it is, the others are added to it. */
    private static final class Merger {
        private WordCounts counts;

        void add(final WordCounts piece) {
            if (counts == null) {
                counts = piece;
            } else {
                counts.addAll(piece);
            }
        }

        WordCounts counts() {
            return counts != null ? counts : new WordCounts();
        }
    }

    private static int checkProcesses(final String what, final int count) {
        if (count < 1 || count > dev.forklift.pipeline.PipelineBuilder.MAX_PROCESSES) {
            throw new IllegalArgumentException(what + " must be in 1.." + dev.forklift.pipeline.PipelineBuilder.MAX_PROCESSES
                + ": " + what + "=" + count);
        }
        return count;
    }

    /**
     * The outcome of a run.
     *
     * @param counts   every word and its count.
     * @param pipeline bytes, timings and failure records.
     */
    public record Result(WordCounts counts, PipelineResult pipeline) {
    }
}
