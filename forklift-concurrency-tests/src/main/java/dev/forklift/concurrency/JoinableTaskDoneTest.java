package dev.forklift.concurrency;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;
import dev.forklift.sync.internal.TaskCounters;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A consumer process took one item of a joinable queue; two of its threads call {@code taskDone} at once. Exactly
 * one succeeds and the other is refused (more calls than items taken), and the unfinished count drops by exactly
 * one: never below the items still in the queue (which would let a join return early).
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the first thread marked it done")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "the second thread marked it done")
@Outcome(expect = FORBIDDEN, desc = "both or neither succeeded, or the count moved by other than one")
@State
public class JoinableTaskDoneTest {
    private final TaskCounters counters = new TaskCounters(StateFile.inMemory(StateType.TASK_COUNTERS, "jcstress",
        TaskCounters.ELEMENTS));

    public JoinableTaskDoneTest() {
        counters.addUnfinished(2);
        counters.noteTaken(1);
    }

    @Actor
    public void thread(final IIJ_Result r) {
        r.r1 = done();
    }

    @Actor
    public void otherThread(final IIJ_Result r) {
        r.r2 = done();
    }

    @Arbiter
    public void inspect(final IIJ_Result r) {
        r.r3 = counters.unfinished();
    }

    private int done() {
        try {
            counters.taskDone();
            return 1;
        } catch (final IllegalStateException refused) {
            return 0;
        }
    }
}
