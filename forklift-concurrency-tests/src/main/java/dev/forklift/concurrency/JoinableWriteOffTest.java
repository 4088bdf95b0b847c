package dev.forklift.concurrency;

import dev.forklift.sync.internal.StateFile;
import dev.forklift.sync.internal.StateType;
import dev.forklift.sync.internal.TaskCounters;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A joinable queue with 5 items put, 3 of them taken and not marked done by a consumer that died; two joiners (in
 * two processes) write that consumer off at the same time. Exactly one of them writes the 3 items off, once: the
 * unfinished count ends at 2, the written-off count at 3, and the consumer's slot is free.
 */
@JCStressTest
@Outcome(id = "3, 0, 2, 3", expect = ACCEPTABLE, desc = "the first joiner wrote the items off")
@Outcome(id = "0, 3, 2, 3", expect = ACCEPTABLE, desc = "the second joiner wrote the items off")
@Outcome(expect = FORBIDDEN, desc = "items written off twice, partly, or not at all")
@State
public class JoinableWriteOffTest {
    private final TaskCounters counters = new TaskCounters(StateFile.inMemory(StateType.TASK_COUNTERS, "jcstress",
        TaskCounters.ELEMENTS));
    private final long deadPid;

    public JoinableWriteOffTest() {
        counters.addUnfinished(5);
        counters.noteTaken(3);
        deadPid = counters.consumerPid(0);
    }

    @Actor
    public void joiner(final JJJJ_Result r) {
        r.r1 = counters.writeOff(0, deadPid);
    }

    @Actor
    public void otherJoiner(final JJJJ_Result r) {
        r.r2 = counters.writeOff(0, deadPid);
    }

    @Arbiter
    public void inspect(final JJJJ_Result r) {
        r.r3 = counters.unfinished();
        r.r4 = counters.writtenOff() + (counters.consumerPid(0) == 0 ? 0 : 100);
    }
}
