package dev.forklift.concurrency;

import dev.forklift.queue.internal.SharedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A producer's in-place writer writes 9 into its claimed slot and throws (the slot is published as aborted), then
 * it writes 5 in place: a consumer reading in place at the same time skips the aborted slot, never sees the 9, and
 * 5 arrives exactly once.
 */
@JCStressTest
@Outcome(id = "5, 0", expect = ACCEPTABLE, desc = "the consumer skipped the aborted slot and read 5")
@Outcome(id = "0, 5", expect = ACCEPTABLE, desc = "the consumer found nothing yet; the arbiter took 5")
@Outcome(expect = FORBIDDEN, desc = "the aborted 9 surfaced, or 5 was lost or read twice")
@State
public class InPlaceAbortTest {
    private final SharedQueue<Integer> queue = Queues.ints(4);

    @Actor
    public void producer() {
        try {
            queue.offerInPlace(Integer.BYTES, slot -> {
                slot.putInt(9);
                throw new IllegalStateException("writer failed");
            }, 0, TimeUnit.NANOSECONDS);
        } catch (final IllegalStateException | InterruptedException expected) {
            // The slot is published as aborted.
        }
        try {
            queue.offerInPlace(Integer.BYTES, slot -> slot.putInt(5).position(), 0, TimeUnit.NANOSECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Actor
    public void consumer(final II_Result r) {
        final int first = Queues.pollInPlaceOrZero(queue);
        r.r1 = first != 0 ? first : Queues.pollInPlaceOrZero(queue);
    }

    @Arbiter
    public void inspect(final II_Result r) {
        r.r2 = Queues.drainDigits(queue);
    }
}
