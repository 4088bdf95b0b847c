package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.Routing;
import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.Stage;
import dev.forklift.queue.Queue;

import java.io.Serializable;
import java.util.List;

/**
 * What one process of a pipeline step needs, sent to it as its only argument: its fused stages, where it takes
 * from, where it puts to, and where it reports. The queues in it attach in the child.
 *
 * @param stepName     the step's name (its role in process tables).
 * @param stageNames   the names of the fused stages, in order.
 * @param stages       the fused stages, in order (empty: items pass unchanged).
 * @param sources      for the producer step: every source; null for the other steps.
 * @param assignments  for the producer step: indices of sources still to read; null otherwise.
 * @param input        for the other steps: the queue this process takes from; null for producers.
 * @param outputs      the queues of the next step (one per partition, or one shared), or the sink's queue.
 * @param routing      how results are spread over {@code outputs}.
 * @param events       progress and failures, to the parent.
 * @param policy       the pipeline's error policy.
 */
public record StepPlan(String stepName, List<String> stageNames, List<Stage<Object, Object>> stages,
                       List<Source<Object>> sources, Queue<Integer> assignments, Queue<Envelope> input,
                       List<Queue<Envelope>> outputs, Routing routing, Queue<Event> events, ErrorPolicy policy)
    implements Serializable {
    @java.io.Serial
    private Object writeReplace() {
        return new Form(this);
    }

    /**
     * The serialized form: an ordinary class, because decoding a record makes a fresh JVM build method handles
     * for its constructor (tens of milliseconds in every child start).
     */
    private static final class Form implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String stepName;
        private final List<String> stageNames;
        private final List<Stage<Object, Object>> stages;
        private final List<Source<Object>> sources;
        private final Queue<Integer> assignments;
        private final Queue<Envelope> input;
        private final List<Queue<Envelope>> outputs;
        private final Routing routing;
        private final Queue<Event> events;
        private final ErrorPolicy policy;

        Form(final StepPlan plan) {
            stepName = plan.stepName;
            stageNames = plan.stageNames;
            stages = plan.stages;
            sources = plan.sources;
            assignments = plan.assignments;
            input = plan.input;
            outputs = plan.outputs;
            routing = plan.routing;
            events = plan.events;
            policy = plan.policy;
        }

        @java.io.Serial
        private Object readResolve() {
            return new StepPlan(stepName, stageNames, stages, sources, assignments, input, outputs, routing, events,
                policy);
        }
    }
}
