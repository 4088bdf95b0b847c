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
 * On the second lap of a two-slot queue, a producer puts 3 then 4 while a consumer polls twice: together they
 * see 3 and 4 exactly once each, in order, whatever the interleaving of the slot reuse.
 */
@JCStressTest
@Outcome(id = "34, 0", expect = ACCEPTABLE, desc = "consumer took both")
@Outcome(id = "3, 4", expect = ACCEPTABLE, desc = "consumer took 3, the arbiter 4")
@Outcome(id = "4, 0", expect = FORBIDDEN, desc = "3 lost")
@Outcome(id = "0, 34", expect = ACCEPTABLE, desc = "consumer polled before any publish")
@Outcome(expect = FORBIDDEN, desc = "loss, duplicate or reordering across the wrap")
@State
public class WrapAroundTest {
    private final SharedQueue<Integer> queue = Queues.ints(2);

    public WrapAroundTest() {
        queue.offer(1);
        queue.offer(2);
        queue.poll();
        queue.poll();
    }

    @Actor
    public void producer() {
        queue.offer(3);
        queue.offer(4);
    }

    @Actor
    public void consumer(final II_Result r) {
        final int first = Queues.pollOrZero(queue);
        final int second = Queues.pollOrZero(queue);
        r.r1 = first == 0 ? second : (second == 0 ? first : first * 10 + second);
    }

    @Arbiter
    public void inspect(final II_Result r) {
        r.r2 = Queues.drainDigits(queue);
    }
}
