package dev.forklift.concurrency.sync;

import dev.forklift.sync.internal.RobustLockWord;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A process died holding the lock word; two processes find it dead at the same time and take it over. The one CAS
 * from the dead owner's exact word decides: exactly one gets the word with the owner-died notice (2), the other
 * does not get it (0); the takeover is counted once, and the winner holds the word.
 */
@JCStressTest
@Outcome(id = "2, 0, 1, 2001", expect = ACCEPTABLE, desc = "the first taker won")
@Outcome(id = "0, 2, 1, 2002", expect = ACCEPTABLE, desc = "the second taker won")
@Outcome(expect = FORBIDDEN, desc = "both or neither took the word, the notice lost, or the takeover counted twice")
@State
public class DeadOwnerTakeoverTest {
    private final LockRig rig = new LockRig();
    private final RobustLockWord first = rig.as(2001);
    private final RobustLockWord second = rig.as(2002);

    public DeadOwnerTakeoverTest() {
        rig.heldByDeadOwner();
    }

    @Actor
    public void firstTaker(final IIII_Result r) {
        r.r1 = first.tryAcquire(false, true);
    }

    @Actor
    public void secondTaker(final IIII_Result r) {
        r.r2 = second.tryAcquire(false, true);
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        r.r3 = rig.ownerDeaths();
        r.r4 = rig.ownerPid();
    }

    static {
        if (RobustLockWord.ACQUIRED_OWNER_DIED != 2 || RobustLockWord.NOT_ACQUIRED != 0) {
            throw new AssertionError("outcome ids assume NOT_ACQUIRED=0, ACQUIRED_OWNER_DIED=2");
        }
    }
}
