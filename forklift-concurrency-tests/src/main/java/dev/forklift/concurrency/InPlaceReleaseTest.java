package dev.forklift.concurrency;

import dev.forklift.queue.internal.SharedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A full queue of two (1, 2). A consumer reads 1 in place and looks at it twice inside its reader, while a producer
 * tries once to write 3 in place into the next lap of that same slot: the producer gets the slot only after the
 * reader returned, so the reader sees 1 both times; 3 arrives after 2, exactly once.
 */
@JCStressTest
@Outcome(id = "11, 0, 2", expect = ACCEPTABLE, desc = "the producer found the queue full")
@Outcome(id = "11, 1, 23", expect = ACCEPTABLE, desc = "the producer wrote 3 after the reader released the slot")
@Outcome(expect = FORBIDDEN, desc = "the slot was overwritten under the reader, or an item was lost or doubled")
@State
public class InPlaceReleaseTest {
    private final SharedQueue<Integer> queue = Queues.ints(2);

    public InPlaceReleaseTest() {
        queue.offer(1);
        queue.offer(2);
    }

    @Actor
    public void consumer(final III_Result r) {
        try {
            queue.pollInPlace(view -> {
                final int before = view.getInt(0);
                r.r1 = before * 10 + view.getInt(0);
            }, 0, TimeUnit.NANOSECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Actor
    public void producer(final III_Result r) {
        try {
            r.r2 = queue.offerInPlace(Integer.BYTES, slot -> slot.putInt(3).position(), 0, TimeUnit.NANOSECONDS)
                ? 1 : 0;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Arbiter
    public void inspect(final III_Result r) {
        r.r3 = Queues.drainDigits(queue);
    }
}
