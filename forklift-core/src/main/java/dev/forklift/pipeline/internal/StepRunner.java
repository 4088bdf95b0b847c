package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Stage;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.QueueClosedException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

/** What the producer and stage processes share: fresh stage copies and the error policy, applied. */
final class StepRunner {
    private final StepPlan plan;
    private final TaskContext context;
    private final Reporter reporter;
    private boolean planStagesTaken;

    StepRunner(final StepPlan plan, final TaskContext context) {
        this.plan = plan;
        this.context = context;
        this.reporter = new Reporter(plan.events());
    }

    Reporter reporter() {
        return reporter;
    }

    TaskContext context() {
        return context;
    }

    StepPlan plan() {
        return plan;
    }

    /**
     * @return a chain over stages of its own (one chain per thread): the first chain gets the stages this
     *     process decoded from its plan (nobody else holds them), every later one a copy.
     */
    @SuppressWarnings("unchecked")
    Chain newChain() throws Exception {
        if (!planStagesTaken) {
            planStagesTaken = true;
            return new Chain(plan, plan.stages());
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(plan.stages());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
            @Override
            protected Class<?> resolveClass(final java.io.ObjectStreamClass desc)
                throws java.io.IOException, ClassNotFoundException {
                return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader());
            }
        }) {
            return new Chain(plan, (List<Stage<Object, Object>>) in.readObject());
        }
    }

    /**
     * Applies the error policy to one failure: reports it, then rethrows under fail-fast (which ends the process)
     * or returns (skip).
     *
     * @throws Exception the failure itself, under fail-fast or when the pipeline is being stopped.
     */
    void onFailure(final String stage, final int source, final long position, final Throwable error)
        throws Exception {
        final Throwable cause = error instanceof StageFailure ? error.getCause() : error;
        final String stageName = error instanceof StageFailure ? ((StageFailure) error).stage() : stage;
        if (cause instanceof QueueClosedException || cause instanceof InterruptedException) {
            throw (Exception) cause; // The pipeline is stopping: nothing to record.
        }
        reporter.failure(Event.failure(stageName, source, position, cause));
        if (plan.policy().isFailFast()) {
            context.state("failed");
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }
}
