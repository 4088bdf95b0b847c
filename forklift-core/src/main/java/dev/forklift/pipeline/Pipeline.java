package dev.forklift.pipeline;

import dev.forklift.pipeline.internal.JobConfig;
import dev.forklift.pipeline.internal.JobRun;
import dev.forklift.pipeline.internal.StepSpec;

import java.time.Duration;
import java.util.List;

/**
 * Processes many sources at once with groups of child processes connected by shared-memory queues, and hands
 * the results to a sink in the parent.
 *
 * <pre>
 *                         parent JVM: run(sink) builds the queues, starts every process, supervises,
 *                         closes each step's output when all its processes are done, drains the events
 *   sources                                                                                   |
 *   [0..S-1] --indices--> [ assignments ]                                                     v
 *                            |  |  |   take one source at a time         [ events: progress, failures ] --> policy
 *                            v  v  v                                              ^       ^        ^
 *                 +------------------------+   put     +---------------------+    |       |        |
 *   step 0        | producer 0 .. N-1      | --------> | queue (shared) or   |    |       |        |
 *   (producers)   | read + fused map()s    |  routing  | queue p per         |    |       |        |
 *                 +------------------------+           | partition           |    |       |        |
 *                                                      +---------------------+    |       |        |
 *                                                                |  take           |       |        |
 *                 +------------------------+                    v                |       |        |
 *   step 1        | stage processes 0..P-1 | &lt;------------------+                |       |        |
 *   (stage(...))  | + fused map()s         | ---put---> [ next queue(s) ] ... --> [ sink queue ] --> sink(parent)
 *                 +------------------------+
 * </pre>
 *
 * <p><b>Back-pressure.</b> Every queue is bounded ({@link PipelineBuilder#queueCapacity}): a slow step blocks the
 * puts of the step before it, back to the sources, so memory stays bounded end to end.
 *
 * <p><b>End of stream.</b> The parent closes the assignment queue once every source index is on it; producers
 * stop when it is drained. When every process of step {@code k} has exited successfully, the parent closes step
 * {@code k}'s output queues; the processes of step {@code k+1} drain them, call {@link Stage#finish}, and exit in
 * turn; the end reaches the sink queue last, and {@link #run} returns.
 *
 * <p><b>Errors.</b> See {@link ErrorPolicy}. A process that dies without reporting a failure stops the pipeline,
 * unless it is a producer and {@link PipelineBuilder#producerRestarts(int)} allows restarting its source.
 *
 * <p>Use from the parent only. {@link #run} blocks until the end; {@link #close()} (from another thread) stops a
 * running pipeline: its queues are closed and its processes terminated within a few seconds. A pipeline runs at
 * most once at a time; it may be run again afterwards.
 *
 * @param <T> the type of the results.
 */
public final class Pipeline<T> implements AutoCloseable {
    /** Longest time {@link #close()} waits for a running pipeline's processes to stop. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final JobConfig config;
    private volatile JobRun current;

    Pipeline(final String name, final List<Source<Object>> sources, final List<StepSpec> steps,
        final int queueCapacity, final int maxMessageBytes, final ErrorPolicy policy, final boolean ordered,
        final ProgressListener listener, final List<String> jvmOptions, final int producerRestarts,
        final dev.forklift.process.ChildOutput output) {
        this.config = new JobConfig(name, sources, steps, queueCapacity, maxMessageBytes, policy, ordered, listener,
            jvmOptions, producerRestarts, output);
    }

    /**
     * Starts a pipeline description with its sources.
     *
     * @param type    the type of the items the sources yield.
     * @param sources the sources; each is read by one producer process at a time.
     * @param <T>     the type of the items.
     * @return a builder.
     */
    public static <T> PipelineBuilder<T> read(final Class<T> type, final List<? extends Source<? extends T>> sources) {
        return new PipelineBuilder<>(type, sources);
    }

    /**
     * Runs the pipeline to the end: starts the processes, feeds the sink (on this thread) and returns when the
     * last result is delivered and every process has exited.
     *
     * @param sink the sink, closed at the end (also on failure).
     * @return what happened, including failures that were skipped.
     * @throws PipelineFailedException if the pipeline stopped early (fail-fast failure, crashed process, or
     *                                 {@link #close()}).
     * @throws IllegalStateException   if this pipeline is already running.
     * @throws InterruptedException    if this thread is interrupted; the pipeline is stopped first.
     */
    public PipelineResult run(final Sink<? super T> sink) throws InterruptedException {
        final JobRun run;
        synchronized (this) {
            if (current != null) {
                throw new IllegalStateException("pipeline " + config.name() + " is already running");
            }
            run = new JobRun(config);
            current = run;
        }
        try {
            return run.run(sink);
        } finally {
            current = null;
        }
    }

    /** @return the job name. */
    public String name() {
        return config.name();
    }

    /**
     * Stops a running pipeline (its {@link #run} throws {@link PipelineFailedException}); returns at once when
     * none runs. Idempotent; waits at most {@link #CLOSE_TIMEOUT}.
     */
    @Override
    public void close() {
        final JobRun run = current;
        if (run != null) {
            run.abort("pipeline closed", CLOSE_TIMEOUT);
        }
    }
}
