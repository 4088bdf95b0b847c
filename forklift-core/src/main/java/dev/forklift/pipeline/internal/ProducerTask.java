package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.SourceContext;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.process.internal.StartupTrace;
import dev.forklift.queue.EndOfStreamException;

/**
 * A producer process: takes the index of a source still to read from the shared assignment queue, reads it
 * through its fused stages, and repeats until no source is left; then finishes its stages. Because sources are
 * handed out one at a time, a slow source keeps only its own producer busy and the others take the rest.
 *
 * <p>Argument: one {@link StepPlan}.
 */
public final class ProducerTask implements ProcessTask {
    private static final long serialVersionUID = 1L;
    private static final long REPORT_ITEMS = 64;
    private static final long REPORT_BYTES = 1 << 20;

    @Override
    public void run(final TaskContext context) throws Exception {
        final StepRunner runner = new StepRunner(context.arg(0, StepPlan.class), context);
        final StepPlan plan = runner.plan();
        final Chain chain = runner.newChain();
        context.state("reading");
        StartupTrace.stamp("producer: task started");
        while (true) {
            final Integer index;
            try {
                index = plan.assignments().take();
            } catch (final EndOfStreamException ex) {
                break;
            }
            read(runner, chain, index);
        }
        context.state("finishing");
        StartupTrace.stamp("producer: sources read");
        try {
            chain.finish();
        } catch (final StageFailure ex) {
            runner.onFailure(plan.stepName(), -1, -1, ex);
        }
        runner.reporter().flush();
        context.state("done");
        StartupTrace.stamp("producer: outputs and events sent");
    }

    private static void read(final StepRunner runner, final Chain chain, final int index) throws Exception {
        final Source<Object> source = runner.plan().sources().get(index);
        final Context sourceContext = new Context(runner, chain, index);
        runner.reporter().sourceEvent(Event.sourceStarted(index));
        try {
            source.read(sourceContext);
        } catch (final ItemFailure ex) {
            throw ex.failure;
        } catch (final Exception | Error ex) {
            runner.onFailure("read", index, sourceContext.position, ex);
        } finally {
            runner.reporter().sourceEvent(Event.sourceDone(index, sourceContext.unreportedBytes,
                sourceContext.unreportedItems));
        }
    }

    /** The source's view of the producer: runs each item through the chain, applying the policy. */
    private static final class Context implements SourceContext<Object> {
        private final StepRunner runner;
        private final Chain chain;
        private final int index;
        private long position;
        private long unreportedBytes;
        private long unreportedItems;

        Context(final StepRunner runner, final Chain chain, final int index) {
            this.runner = runner;
            this.chain = chain;
            this.index = index;
        }

        @Override
        public void emit(final Object item) throws InterruptedException {
            if (item == null) {
                throw new NullPointerException("source " + runner.plan().sources().get(index).name()
                    + " emitted null at position " + position);
            }
            try {
                chain.process(index, position, item);
            } catch (final StageFailure ex) {
                try {
                    runner.onFailure(runner.plan().stepName(), index, position, ex);
                } catch (final Exception failFast) {
                    throw new ItemFailure(failFast);
                }
            } catch (final RuntimeException ex) {
                try {
                    runner.onFailure(runner.plan().stepName(), index, position, ex);
                } catch (final Exception failFast) {
                    throw new ItemFailure(failFast);
                }
            }
            position++;
            unreportedItems++;
            runner.context().addItemsDone(1);
            if (unreportedItems >= REPORT_ITEMS || unreportedBytes >= REPORT_BYTES) {
                flushProgress();
            }
        }

        @Override
        public void position(final long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException("position must not be negative: position=" + newPosition);
            }
            position = newPosition;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void addBytesRead(final long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative: bytes=" + bytes);
            }
            unreportedBytes += bytes;
        }

        private void flushProgress() throws InterruptedException {
            runner.reporter().add(unreportedBytes, unreportedItems, 0);
            unreportedBytes = 0;
            unreportedItems = 0;
        }
    }

    /** Carries a fail-fast failure of one item out through the source's own code, unchanged. */
    private static final class ItemFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Exception failure;

        ItemFailure(final Exception failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
