package dev.forklift.concurrency;

import dev.forklift.queue.internal.RepairRig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A dead producer holds two unpublished slots (positions 0 and 1); two repairers in two processes tear them at the
 * same time, each starting at the head. Exactly one wins the first slot (the CAS of its sequence, or the holder field
 * when one takes over from the other) and tears the whole run; the other repairs nothing. Each slot is torn once,
 * and a message put after them arrives.
 */
@JCStressTest
@Outcome(id = "2, 0, 2, 5", expect = ACCEPTABLE, desc = "the first repairer tore the run")
@Outcome(id = "0, 2, 2, 5", expect = ACCEPTABLE, desc = "the second repairer tore the run")
@Outcome(expect = FORBIDDEN, desc = "a slot torn twice or not at all, the run split, or the message lost")
@State
public class TwoRepairersTest {
    private final RepairRig rig = new RepairRig(4);

    public TwoRepairersTest() {
        rig.claimToWriteAsTakenForDead();
        rig.claimToWriteAsTakenForDead();
    }

    @Actor
    public void repairer(final IIII_Result r) {
        r.r1 = rig.tearAsRepairer(2001, 0);
    }

    @Actor
    public void otherRepairer(final IIII_Result r) {
        r.r2 = rig.tearAsRepairer(2002, 0);
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        r.r3 = rig.tornCount();
        rig.offer(5);
        r.r4 = rig.drainDigits();
    }
}
