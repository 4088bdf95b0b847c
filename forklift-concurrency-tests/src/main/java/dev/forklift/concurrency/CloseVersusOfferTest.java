package dev.forklift.concurrency;

import dev.forklift.queue.QueueClosedException;
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
 * close() races an offer: an offer that succeeded is in the stream (drained before end of stream); an offer
 * refused as closed left nothing behind.
 */
@JCStressTest
@Outcome(id = "1, 5", expect = ACCEPTABLE, desc = "offer -> close: the item is drained before the end")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "close -> offer: refused, nothing in the stream")
@Outcome(expect = FORBIDDEN, desc = "an accepted item lost, or a refused item delivered")
@State
public class CloseVersusOfferTest {
    private final SharedQueue<Integer> queue = Queues.ints(2);

    @Actor
    public void producer(final II_Result r) {
        try {
            r.r1 = queue.offer(5) ? 1 : 3;
        } catch (final QueueClosedException ex) {
            r.r1 = 2;
        }
    }

    @Actor
    public void closer() {
        queue.close();
    }

    @Arbiter
    public void inspect(final II_Result r) {
        int drained = 0;
        for (final Integer item : queue) {
            drained = drained * 10 + item;
        }
        r.r2 = queue.isEndOfStream() ? drained : -1;
    }
}
