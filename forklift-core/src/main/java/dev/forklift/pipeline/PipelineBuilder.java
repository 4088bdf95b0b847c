package dev.forklift.pipeline;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.Codec;
import dev.forklift.codec.Codecs;
import dev.forklift.codec.ObjectCodec;
import dev.forklift.pipeline.internal.StepSpec;
import dev.forklift.process.ChildOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Describes a {@link Pipeline}, step by step: the sources and the producer processes that read them, stages
 * fused into the current step ({@link #map}) or run in their own processes ({@link #stage}), then the options.
 * Each method that adds a stage returns the builder typed by the stage's output. Setters validate at once and
 * name the bad value. Not thread-safe; used in the parent only.
 *
 * <pre>
 *  Pipeline.read(String.class, sources).producers(4)          step 0: 4 producer processes read the sources
 *      .map("tokenize", tokenize, Counts.class)                 ...and tokenize in the same processes
 *      .stage("merge", 2, Routing.explicit(), merge, Counts.class)   step 1: 2 processes, one queue each
 *      .errorPolicy(ErrorPolicy.skipAndRecord())
 *      .build().run(sink);                                      the sink runs in the parent
 * </pre>
 *
 * @param <T> the type of the items at the current end of the pipeline.
 */
public final class PipelineBuilder<T> {
    /** Most processes in one step. */
    public static final int MAX_PROCESSES = 256;
    /** Default capacity of each queue, in items. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** Default largest encoded item: 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    private final List<Source<Object>> sources;
    private final List<StepSpec> steps = new ArrayList<>();
    private String name = "pipeline";
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private AllowList allowList = AllowList.defaults();
    private int maxObjectDepth;
    private ErrorPolicy errorPolicy = ErrorPolicy.failFast();
    private boolean ordered;
    private ProgressListener progressListener = (bytes, items, failures, sources) -> { };
    private final List<String> jvmOptions = new ArrayList<>();
    private int producerRestarts;
    private ChildOutput output = ChildOutput.inherit();

    @SuppressWarnings("unchecked")
    PipelineBuilder(final Class<T> type, final List<? extends Source<? extends T>> sources) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sources, "sources");
        this.sources = new ArrayList<>();
        for (final Source<? extends T> source : sources) {
            this.sources.add((Source<Object>) Objects.requireNonNull(source, "a source is null"));
        }
        steps.add(new StepSpec("producer", 1, Routing.shared(), type));
    }

    /**
     * @param name the job name: the parent's role and the prefix of its processes' names in {@code forklift ps}.
     * @return this builder.
     */
    public PipelineBuilder<T> name(final String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,15}")) {
            throw new IllegalArgumentException("pipeline name must be 1-15 letters, digits, '-' or '_': name=" + name);
        }
        this.name = name;
        return this;
    }

    /**
     * @param processes the number of producer processes reading the sources, 1 to {@value #MAX_PROCESSES}.
     * @return this builder.
     */
    public PipelineBuilder<T> producers(final int processes) {
        steps.get(0).processes(checkProcesses("producers", processes));
        return this;
    }

    /**
     * Adds a stage that runs in the processes of the current step (no queue between them).
     *
     * @param stageName the stage's name, for failure records.
     * @param stage     the work.
     * @param type      the type of its output.
     * @param <R>       the type of its output.
     * @return this builder, typed by the stage's output.
     */
    @SuppressWarnings("unchecked")
    public <R> PipelineBuilder<R> map(final String stageName, final Stage<? super T, R> stage, final Class<R> type) {
        current().addStage(checkName(stageName), (Stage<Object, Object>) Objects.requireNonNull(stage, "stage"),
            Objects.requireNonNull(type, "type"));
        return (PipelineBuilder<R>) this;
    }

    /**
     * Adds a stage with its own processes, fed through queues from the current step.
     *
     * @param stageName the stage's name: the role of its processes.
     * @param processes how many processes run it, 1 to {@value #MAX_PROCESSES}; with partitioned routing, one
     *                  per partition.
     * @param routing   how items reach its processes.
     * @param stage     the work.
     * @param type      the type of its output.
     * @param <R>       the type of its output.
     * @return this builder, typed by the stage's output.
     */
    @SuppressWarnings("unchecked")
    public <R> PipelineBuilder<R> stage(final String stageName, final int processes, final Routing routing,
        final Stage<? super T, R> stage, final Class<R> type) {
        final StepSpec step = new StepSpec(checkName(stageName), checkProcesses(stageName, processes),
            Objects.requireNonNull(routing, "routing"), current().outputType());
        step.addStage(stageName, (Stage<Object, Object>) Objects.requireNonNull(stage, "stage"),
            Objects.requireNonNull(type, "type"));
        steps.add(step);
        return (PipelineBuilder<R>) this;
    }

    /**
     * @param codec the codec of the items at the current end of the pipeline (instead of the default for their
     *              type); serializable.
     * @return this builder.
     */
    public PipelineBuilder<T> codec(final Codec<T> codec) {
        current().outputCodec(Objects.requireNonNull(codec, "codec"));
        return this;
    }

    /**
     * @param classes classes the default object codec may carry between steps.
     * @return this builder.
     */
    public PipelineBuilder<T> allow(final Class<?>... classes) {
        allowList = allowList.allow(classes);
        return this;
    }

    /**
     * @param maxObjectDepth the deepest object an item may hold when it travels between steps through the default
     *                       object codec (see {@link dev.forklift.codec.ObjectCodec}), 1 to
     *                       {@value dev.forklift.codec.ObjectCodec#MAX_MAX_DEPTH}; default
     *                       {@value dev.forklift.codec.ObjectCodec#DEFAULT_MAX_DEPTH}, or the system property
     *                       {@value dev.forklift.codec.ObjectCodec#MAX_DEPTH_PROPERTY} of the process that builds the
     *                       pipeline. A deeper item fails where it is emitted (per the error policy), never where it
     *                       is taken.
     * @return this builder.
     * @throws IllegalArgumentException if out of range.
     */
    public PipelineBuilder<T> maxObjectDepth(final int maxObjectDepth) {
        this.maxObjectDepth = ObjectCodec.checkMaxDepth(maxObjectDepth);
        return this;
    }

    /**
     * @param capacity items each queue holds, 1 to 65,536: the bound of back-pressure.
     * @return this builder.
     */
    public PipelineBuilder<T> queueCapacity(final int capacity) {
        if (capacity < 1 || capacity > 65_536) {
            throw new IllegalArgumentException("queueCapacity must be in 1..65536: capacity=" + capacity);
        }
        this.queueCapacity = capacity;
        return this;
    }

    /**
     * @param bytes the largest encoded item on any queue, 64 bytes to 64 MiB.
     * @return this builder.
     */
    public PipelineBuilder<T> maxMessageBytes(final int bytes) {
        if (bytes < 64 || bytes > (64 << 20)) {
            throw new IllegalArgumentException("maxMessageBytes must be in 64..67108864: bytes=" + bytes);
        }
        this.maxMessageBytes = bytes;
        return this;
    }

    /**
     * @param policy what a failure does; default {@link ErrorPolicy#failFast()}.
     * @return this builder.
     */
    public PipelineBuilder<T> errorPolicy(final ErrorPolicy policy) {
        this.errorPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @param ordered true to hand results to the sink in source order (by source, then position): the parent
     *                then keeps every result until the end, so use it for outputs that fit in memory; false
     *                (default) hands them over as they arrive.
     * @return this builder.
     */
    public PipelineBuilder<T> ordered(final boolean ordered) {
        this.ordered = ordered;
        return this;
    }

    /**
     * @param listener told of progress, on the parent's supervisor thread.
     * @return this builder.
     */
    public PipelineBuilder<T> onProgress(final ProgressListener listener) {
        this.progressListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * @param options JVM options for every process of the pipeline, such as {@code -Xmx256m}.
     * @return this builder.
     */
    public PipelineBuilder<T> jvmOptions(final String... options) {
        for (final String option : options) {
            if (option == null || !option.startsWith("-")) {
                throw new IllegalArgumentException("JVM option must start with '-': option=" + option);
            }
            jvmOptions.add(option);
        }
        return this;
    }

    /**
     * @param output where the output lines of the pipeline's processes go, each prefixed with {@code [name pid] };
     *               default {@link ChildOutput#inherit()}; {@link ChildOutput#toLogger} sends them to a logger.
     * @return this builder.
     */
    public PipelineBuilder<T> output(final ChildOutput output) {
        this.output = Objects.requireNonNull(output, "output");
        return this;
    }

    /**
     * Lets the parent replace a producer process that dies without reporting (killed with {@code kill -9}, out of
     * memory): the source it was reading is read again from its start by a fresh producer, and the sink drops the
     * items it already received, identified by (source index, position, ordinal), so that no item is lost or
     * delivered twice. A source whose producer dies more than {@code max} times fails per the error policy (as a
     * {@code read} failure naming the producer). Off (0) by default: then a dead producer stops the run.
     *
     * <p>Needs: producers that feed the sink directly (no {@link #stage} step), sources whose positions grow
     * (every built-in source; a custom one must not move its position backwards), sources that can be read again
     * (not {@link Sources#stdin()}), and fused stages that emit nothing in {@code finish} (what a dead producer's
     * stages held for {@code finish} is lost with it).
     *
     * @param max restarts allowed per source, 0 to 100.
     * @return this builder.
     */
    public PipelineBuilder<T> producerRestarts(final int max) {
        if (max < 0 || max > 100) {
            throw new IllegalArgumentException("producerRestarts must be in 0..100: producerRestarts=" + max);
        }
        this.producerRestarts = max;
        return this;
    }

    /**
     * @return the pipeline; nothing runs until {@link Pipeline#run}.
     * @throws IllegalArgumentException if there is no source.
     */
    @SuppressWarnings("unchecked")
    public Pipeline<T> build() {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one source: sources=[]");
        }
        if (producerRestarts > 0 && steps.size() > 1) {
            throw new IllegalArgumentException("producerRestarts needs producers that feed the sink directly, but"
                + " the pipeline has " + steps.size() + " steps: producerRestarts=" + producerRestarts);
        }
        for (final StepSpec step : steps) {
            if (step.outputCodec() == null) {
                step.outputCodec(Codecs.forType((Class<Object>) step.outputType(), allowList,
                    maxObjectDepth > 0 ? maxObjectDepth : ObjectCodec.defaultMaxDepth()));
            }
        }
        return new Pipeline<>(name, List.copyOf(sources), List.copyOf(steps), queueCapacity, maxMessageBytes,
            errorPolicy, ordered, progressListener, List.copyOf(jvmOptions), producerRestarts, output);
    }

    private StepSpec current() {
        return steps.get(steps.size() - 1);
    }

    private static int checkProcesses(final String what, final int processes) {
        if (processes < 1 || processes > MAX_PROCESSES) {
            throw new IllegalArgumentException(what + ": processes must be in 1.." + MAX_PROCESSES
                + ": processes=" + processes);
        }
        return processes;
    }

    private static String checkName(final String stageName) {
        if (stageName == null || !stageName.matches("[A-Za-z0-9_-]{1,15}")) {
            throw new IllegalArgumentException("stage name must be 1-15 letters, digits, '-' or '_': name="
                + stageName);
        }
        return stageName;
    }
}
