package dev.forklift.concurrency.sync;

import dev.forklift.sync.SharedSemaphore;
import dev.forklift.sync.SyncRig;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A process died holding the only permit of a semaphore; two live processes each give dead holders' permits back
 * (as their waits do) and try to acquire. The permit comes back exactly once: exactly one of them gets it, it is
 * counted as returned once, and no permit is left over or doubled.
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "the first process got the returned permit")
@Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "the second process got the returned permit")
@Outcome(expect = FORBIDDEN, desc = "the permit doubled, lost, or returned twice")
@State
public class DeadHolderPermitTest {
    private final SyncRig rig = SyncRig.semaphore(1);
    private final SharedSemaphore first = rig.semaphoreAs(2001);
    private final SharedSemaphore second = rig.semaphoreAs(2002);

    public DeadHolderPermitTest() {
        if (!rig.semaphoreAs(1001).tryAcquire()) {
            throw new IllegalStateException("the dead holder could not take the permit");
        }
    }

    @Actor
    public void firstProcess(final IIII_Result r) {
        SyncRig.returnPermitsOfDeadHolders(first);
        r.r1 = first.tryAcquire() ? 1 : 0;
    }

    @Actor
    public void secondProcess(final IIII_Result r) {
        SyncRig.returnPermitsOfDeadHolders(second);
        r.r2 = second.tryAcquire() ? 1 : 0;
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        r.r3 = (int) first.returnedPermits();
        r.r4 = first.availablePermits();
    }
}
