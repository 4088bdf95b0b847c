package dev.forklift.concurrency;

import dev.forklift.queue.internal.SharedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two producers race for the last free slot of a full-but-one queue: exactly one wins, and the winner's item is
 * the one behind the item already there.
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "producer 1 claimed the slot (producer 2 found it full)")
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "producer 2 claimed the slot (producer 1 found it full)")
@Outcome(expect = FORBIDDEN, desc = "both or neither claimed, or the item is not the winner's")
@State
public class ClaimRaceTest {
    private final SharedQueue<Integer> queue = Queues.ints(2);

    public ClaimRaceTest() {
        queue.offer(9);
    }

    @Actor
    public void producer1(final III_Result r) {
        r.r1 = queue.offer(1) ? 1 : 0;
    }

    @Actor
    public void producer2(final III_Result r) {
        r.r2 = queue.offer(2) ? 1 : 0;
    }

    @Arbiter
    public void inspect(final III_Result r) {
        r.r3 = Queues.pollOrZero(queue) == 9 ? Queues.pollOrZero(queue) : -1;
    }
}
