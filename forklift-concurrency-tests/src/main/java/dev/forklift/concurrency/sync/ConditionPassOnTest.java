package dev.forklift.concurrency.sync;

import dev.forklift.sync.SharedCondition;
import dev.forklift.sync.SyncRig;
import dev.forklift.sync.internal.OwnerStamp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A waiter of a condition died after it was signalled and before it woke (its slot: signalled, owner dead); a live
 * waiter of another process waits in the next slot. Two other waiters scan the slots at the same time, as their waits
 * do every 100 ms. The dead waiter's slot is freed once and its signal passed on exactly once: the live waiter is
 * signalled, and the count of passed-on signals is 1.
 */
@JCStressTest
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE, desc = "the signal passed on once to the live waiter")
@Outcome(expect = FORBIDDEN, desc = "the signal lost, passed on twice, or the dead slot left")
@State
public class ConditionPassOnTest {
    private final SyncRig rig = SyncRig.condition();
    private final SharedCondition first = rig.conditionAs(2001);
    private final SharedCondition second = rig.conditionAs(2002);

    public ConditionPassOnTest() {
        SyncRig.slot(first, 0, SyncRig.DEAD, 0, 2);
        SyncRig.slot(first, 1, OwnerStamp.of(3001, 77), 1, 1);
    }

    @Actor
    public void firstScanner() {
        SyncRig.freeSlotsOfDeadWaiters(first);
    }

    @Actor
    public void secondScanner() {
        SyncRig.freeSlotsOfDeadWaiters(second);
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        r.r1 = (int) first.signalsPassedOn();
        r.r2 = SyncRig.slot(first, 1, 0, 0, -1);
        r.r3 = SyncRig.slot(first, 0, 0, 0, -1);
        r.r4 = first.waiters();
    }
}
