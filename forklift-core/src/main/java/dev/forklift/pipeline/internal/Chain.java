package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Emitter;
import dev.forklift.pipeline.Routing;
import dev.forklift.pipeline.Stage;
import dev.forklift.queue.Queue;

import java.util.List;

/**
 * Runs the fused stages of one process: each stage's emitter feeds the next stage, the last one puts on the
 * output queues by the routing. One chain per thread (stages are called by one thread at a time).
 *
 * <pre>
 *  item --> stage 0 --emit--> stage 1 --emit--> ... --> stage k-1 --emit--> router --put--> outputs[p]
 * </pre>
 */
final class Chain {
    private final List<String> names;
    private final List<Stage<Object, Object>> stages;
    private final List<Queue<Envelope>> outputs;
    private final Routing routing;
    private int source = -1;
    private long position = -1;
    private long emitted;
    private int ordinal;

    Chain(final StepPlan plan, final List<Stage<Object, Object>> stages) {
        this.names = plan.stageNames();
        this.stages = stages;
        this.outputs = plan.outputs();
        this.routing = plan.routing();
    }

    /** @return results put on the output queues so far. */
    long emitted() {
        return emitted;
    }

    /** Runs one item through every stage; a stage failure is wrapped, naming the stage. */
    void process(final int sourceIndex, final long itemPosition, final Object item)
        throws StageFailure, InterruptedException {
        if (sourceIndex != source || itemPosition != position) {
            ordinal = 0;
        }
        source = sourceIndex;
        position = itemPosition;
        feed(0, item);
    }

    /** Calls every stage's finish, in order, each feeding the stages after it. */
    void finish() throws StageFailure, InterruptedException {
        source = -1;
        position = -1;
        ordinal = 0;
        for (int i = 0; i < stages.size(); i++) {
            try {
                stages.get(i).finish(emitterAfter(i));
            } catch (final StageFailure | InterruptedException ex) {
                throw ex;
            } catch (final Exception | Error ex) {
                throw new StageFailure(names.get(i), ex);
            }
        }
    }

    int source() {
        return source;
    }

    long position() {
        return position;
    }

    private void feed(final int index, final Object item) throws StageFailure, InterruptedException {
        if (index == stages.size()) {
            route(-1, item);
            return;
        }
        try {
            stages.get(index).process(item, emitterAfter(index));
        } catch (final StageFailure | InterruptedException ex) {
            throw ex;
        } catch (final WrappedFailure ex) {
            throw ex.failure;
        } catch (final Exception | Error ex) {
            throw new StageFailure(names.get(index), ex);
        }
    }

    private Emitter<Object> emitterAfter(final int index) {
        final boolean last = index == stages.size() - 1;
        return new Emitter<>() {
            @Override
            public void emit(final Object item) throws InterruptedException {
                emit(-1, item);
            }

            @Override
            public void emit(final int partition, final Object item) throws InterruptedException {
                if (item == null) {
                    throw new NullPointerException("stage " + names.get(index) + " emitted null");
                }
                if (last) {
                    route(partition, item);
                } else {
                    try {
                        feed(index + 1, item);
                    } catch (final StageFailure ex) {
                        throw new WrappedFailure(ex);
                    }
                }
            }

            @Override
            public int partitions() {
                return last ? outputs.size() : 1;
            }
        };
    }

    private void route(final int partition, final Object item) throws InterruptedException {
        final int target;
        switch (routing.kind()) {
            case SHARED -> target = 0;
            case BY_KEY -> target = routing.partitionOf(item, outputs.size());
            default -> {
                if (partition < 0) {
                    throw new IllegalStateException("the next stage is routed explicitly: use emit(partition, item)");
                }
                target = partition;
            }
        }
        if (partition >= outputs.size() && routing.kind() == Routing.Kind.EXPLICIT) {
            throw new IndexOutOfBoundsException("partition must be in 0.." + (outputs.size() - 1)
                + ": partition=" + partition);
        }
        outputs.get(target).put(new Envelope(source, position, ordinal++, item));
        emitted++;
    }

    /** Carries a downstream stage's failure through an upstream stage's emit call unchanged. */
    private static final class WrappedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient StageFailure failure;

        WrappedFailure(final StageFailure failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
