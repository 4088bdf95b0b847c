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
 * A full queue of two (1, 2). A consumer taken for dead (wrongly: it is alive) has read 1 and releases its slot
 * while a producer waiting at the tail releases that same slot as abandoned. The one CAS on the slot's sequence
 * decides: exactly one of them releases it, the other is refused; afterwards 3 goes into the slot and the queue
 * holds 2 and 3, in order.
 */
@JCStressTest
@Outcome(id = "1, 0, 23, 0", expect = ACCEPTABLE, desc = "released by its consumer; the repair found it released")
@Outcome(id = "0, 1, 23, 1", expect = ACCEPTABLE, desc = "released by the repair; the consumer's release refused")
@Outcome(expect = FORBIDDEN, desc = "released twice or not at all, or a sequence moved back (an item lost)")
@State
public class RepairVersusReleaseTest {
    private final RepairRig rig = new RepairRig(2);
    private final long position;

    public RepairVersusReleaseTest() {
        rig.offer(1);
        rig.offer(2);
        position = rig.claimToReadAsTakenForDead();
    }

    @Actor
    public void consumer(final IIII_Result r) {
        r.r1 = rig.releaseAsTakenForDead(position);
    }

    @Actor
    public void repairer(final IIII_Result r) {
        r.r2 = rig.releaseAsRepairer(2001, 2);
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        rig.offer(3);
        r.r3 = rig.drainDigits();
        r.r4 = rig.abandonedCount();
    }
}
