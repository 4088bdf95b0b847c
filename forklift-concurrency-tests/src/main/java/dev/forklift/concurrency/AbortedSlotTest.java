package dev.forklift.concurrency;

import dev.forklift.codec.Codec;
import dev.forklift.codec.CodecException;
import dev.forklift.queue.internal.SharedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.nio.ByteBuffer;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A producer's first item fails to encode after its slot was claimed (the slot is published as aborted), then it
 * puts 5: a racing consumer skips the aborted slot and never sees the failed item; 5 arrives exactly once.
 */
@JCStressTest
@Outcome(id = "5, 0", expect = ACCEPTABLE, desc = "the consumer skipped the aborted slot and took 5")
@Outcome(id = "0, 5", expect = ACCEPTABLE, desc = "the consumer found nothing yet; the arbiter took 5")
@Outcome(expect = FORBIDDEN, desc = "the failed item surfaced, or 5 was lost or taken twice")
@State
public class AbortedSlotTest {
    /** Encodes any integer but 9. */
    static final class RefusingNine implements Codec<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public String id() {
            return "stress.refusing-nine";
        }

        @Override
        public void encode(final Integer value, final ByteBuffer target) {
            if (value == 9) {
                throw new CodecException("nine refused");
            }
            target.putInt(value);
        }

        @Override
        public Integer decode(final ByteBuffer source) {
            return source.getInt();
        }
    }

    private final SharedQueue<Integer> queue = Queues.ints(4, new RefusingNine());

    @Actor
    public void producer() {
        try {
            queue.offer(9);
        } catch (final CodecException expected) {
            // The slot is published as aborted.
        }
        queue.offer(5);
    }

    @Actor
    public void consumer(final II_Result r) {
        final int first = Queues.pollOrZero(queue);
        r.r1 = first != 0 ? first : Queues.pollOrZero(queue);
    }

    @Arbiter
    public void inspect(final II_Result r) {
        r.r2 = Queues.drainDigits(queue);
    }
}
