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
 * A producer taken for dead (wrongly: it is alive) publishes 7 into the slot it claimed while a repairer tears that
 * slot. The one CAS on the slot's sequence decides: either the message is published and the repair finds nothing
 * to do, or the slot is torn and the publish is refused. Never both, never a message that arrives although its
 * publish was refused, never a sequence moved back.
 */
@JCStressTest
@Outcome(id = "1, 0, 7, 0", expect = ACCEPTABLE, desc = "published first; the repair found the slot handed on")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE, desc = "torn first; the publish was refused")
@Outcome(expect = FORBIDDEN, desc = "both won, neither did, or the outcome disagrees with what the producer was told")
@State
public class RepairVersusPublishTest {
    private final RepairRig rig = new RepairRig(2);
    private final long position;

    public RepairVersusPublishTest() {
        position = rig.claimToWriteAsTakenForDead();
    }

    @Actor
    public void producer(final IIII_Result r) {
        r.r1 = rig.publishAsTakenForDead(position, 7);
    }

    @Actor
    public void repairer(final IIII_Result r) {
        r.r2 = rig.tearAsRepairer(2001, 0);
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        r.r3 = rig.drainDigits();
        r.r4 = rig.tornCount();
    }
}
