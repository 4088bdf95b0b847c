package dev.forklift.pipeline;

import dev.forklift.ForkliftException;

/**
 * Thrown by {@link Pipeline#run} when the pipeline stopped early: the first failure under
 * {@link ErrorPolicy#failFast()}, a process that crashed, or a sink failure under fail-fast.
 */
public final class PipelineFailedException extends ForkliftException {
    private static final long serialVersionUID = 1L;
    private final transient FailureRecord record;

    /**
     * @param record the failure that stopped the pipeline.
     * @param cause  the exception behind it, if any.
     */
    public PipelineFailedException(final FailureRecord record, final Throwable cause) {
        super("pipeline stopped: " + record, cause);
        this.record = record;
    }

    /** @return the failure that stopped the pipeline. */
    public FailureRecord record() {
        return record;
    }
}
