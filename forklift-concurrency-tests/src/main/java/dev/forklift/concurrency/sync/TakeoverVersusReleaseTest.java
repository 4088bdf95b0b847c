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
 * An owner taken for dead (wrongly: it still runs) tries the lock and, if it got it, releases it, while another
 * process judges it dead and takes the word. Either the release came first and the taker got a free word (1), or the
 * taker took the word (2) and the owner's release is refused (0) without touching the word: never both a release
 * and a takeover, never a taker left without the word.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 2001", expect = ACCEPTABLE, desc = "acquired and released, then the taker got a free word")
@Outcome(id = "1, 0, 2, 2001", expect = ACCEPTABLE, desc = "taken over while held; the release was refused")
@Outcome(id = "0, 9, 1, 2001", expect = ACCEPTABLE, desc = "the taker got the free word first")
@Outcome(expect = FORBIDDEN, desc = "a release and a takeover of the same hold, or the taker left without the word")
@State
public class TakeoverVersusReleaseTest {
    private final LockRig rig = new LockRig();
    private final RobustLockWord takenForDead = rig.as(1001);
    private final RobustLockWord taker = rig.as(2001);

    @Actor
    public void ownerTakenForDead(final IIII_Result r) {
        r.r1 = takenForDead.tryAcquire(false, false);
        r.r2 = r.r1 == RobustLockWord.ACQUIRED ? LockRig.release(takenForDead) : 9;
    }

    @Actor
    public void takerJudgingItDead(final IIII_Result r) {
        r.r3 = taker.tryAcquire(false, true);
    }

    @Arbiter
    public void inspect(final IIII_Result r) {
        r.r4 = rig.ownerPid();
    }
}
