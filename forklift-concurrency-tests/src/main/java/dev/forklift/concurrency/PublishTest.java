package dev.forklift.concurrency;

import dev.forklift.queue.internal.SharedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A consumer polls while a producer publishes: it sees the whole item or nothing, never a slot whose sequence
 * is visible before its bytes; the item is taken exactly once.
 */
@JCStressTest
@Outcome(id = "7, 0", expect = ACCEPTABLE, desc = "consumer -> after publish: the consumer took the item")
@Outcome(id = "0, 7", expect = ACCEPTABLE, desc = "consumer -> before publish: the arbiter took the item")
@Outcome(expect = FORBIDDEN, desc = "a torn read, a lost item or an item taken twice")
@State
public class PublishTest {
    private final SharedQueue<Integer> queue = Queues.ints(2);

    @Actor
    public void producer() {
        queue.offer(7);
    }

    @Actor
    public void consumer(final II_Result r) {
        r.r1 = Queues.pollOrZero(queue);
    }

    @Arbiter
    public void inspect(final II_Result r) {
        r.r2 = Queues.drainDigits(queue);
    }
}
