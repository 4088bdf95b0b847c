package dev.forklift.concurrency.sync;

import dev.forklift.sync.internal.RobustLockWord;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two live processes each acquire the robust lock word, increment a plain counter and release. The lock orders the
 * two read-modify-writes (acquire and release pair up as they do across processes): the counter ends at 2, and the
 * word is free.
 */
@JCStressTest
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "both acquired a free word in turn; no increment lost")
@Outcome(expect = FORBIDDEN, desc = "an increment lost, or an acquire reported a dead owner among live ones")
@State
public class LockMutualExclusionTest {
    private final LockRig rig = new LockRig();
    private final RobustLockWord first = rig.as(2001);
    private final RobustLockWord second = rig.as(2002);
    private int counter;

    @Actor
    public void firstProcess(final III_Result r) {
        r.r1 = LockRig.acquire(first);
        counter++;
        first.release();
    }

    @Actor
    public void secondProcess(final III_Result r) {
        r.r2 = LockRig.acquire(second);
        counter++;
        second.release();
    }

    @Arbiter
    public void inspect(final III_Result r) {
        r.r3 = rig.ownerPid() == 0 ? counter : -1;
    }
}
