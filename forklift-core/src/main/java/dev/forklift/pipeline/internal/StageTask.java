package dev.forklift.pipeline.internal;

import dev.forklift.codec.CodecException;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;

import java.util.Iterator;

/**
 * A process of a stage after the producers: takes envelopes from its input queue (its partition's, or the shared
 * one) until the end of the stream, runs each through its fused stages, then finishes them and exits; the parent
 * closes the next queue when every process of the stage has exited. An item that cannot be decoded here fails alone,
 * per the error policy, like an item a stage throws on.
 *
 * <p>Argument: one {@link StepPlan}.
 */
public final class StageTask implements ProcessTask {
    private static final long serialVersionUID = 1L;

    @Override
    public void run(final TaskContext context) throws Exception {
        final StepRunner runner = new StepRunner(context.arg(0, StepPlan.class), context);
        final StepPlan plan = runner.plan();
        final Chain chain = runner.newChain();
        context.state("running");
        final Iterator<Envelope> input = plan.input().iterator();
        while (true) {
            final Envelope envelope;
            try {
                if (!input.hasNext()) {
                    break;
                }
                envelope = input.next();
            } catch (final CodecException ex) {
                // an item this process cannot decode is gone (its slot is released): it fails alone, per the policy
                runner.onFailure(plan.stepName(), -1, -1, ex);
                continue;
            }
            try {
                chain.process(envelope.source(), envelope.position(), envelope.payload());
            } catch (final StageFailure | RuntimeException ex) {
                runner.onFailure(plan.stepName(), envelope.source(), envelope.position(), ex);
            }
            context.addItemsDone(1);
        }
        context.state("finishing");
        try {
            chain.finish();
        } catch (final StageFailure | RuntimeException ex) {
            runner.onFailure(plan.stepName(), -1, -1, ex);
        }
        runner.reporter().flush();
        context.state("done");
    }
}
