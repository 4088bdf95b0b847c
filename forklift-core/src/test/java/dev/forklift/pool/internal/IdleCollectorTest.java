package dev.forklift.pool.internal;

import dev.forklift.pool.Pool;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle pool's collector does not wait on its result queue: with nothing in flight it waits for work, and only
 * looks at the queue (a poll without waiting) at each health check. A waiting poll restarts the queue's spin,
 * yield and short-park phases every time; 50 a second kept an idle pool at 3-4 % of a core.
 */
@ProcessDeadline(seconds = 90)
class IdleCollectorTest {

    @Test
    void anIdlePoolsCollectorDoesNotWaitOnItsResultQueue() throws Exception {
        final PoolConfig config = Pool.builder().workers(1).name("idle-collector").config();
        final CountingTransport transport = new CountingTransport(new SharedMemoryTransport(config));
        try (Pool pool = PoolImpl.start(config, transport)) {
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            final int waitingBefore = transport.waitingPolls.get();
            final int quickBefore = transport.quickPolls.get();
            Thread.sleep(1_000);
            assertThat(transport.waitingPolls.get() - waitingBefore)
                .as("waiting polls of the result queue during 1 s with nothing in flight").isLessThanOrEqualTo(1);
            assertThat(transport.quickPolls.get() - quickBefore)
                .as("polls without waiting: the collector still reads stray frames at each health check")
                .isGreaterThan(5);
            // Work wakes it at once, and it waits on the queue again while a task is in flight.
            assertThat(pool.submit((Integer x) -> x + 1, 2).get(60, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
        }
    }

    /** Counts the collector's polls of the result queue: waiting ones and those that return at once. */
    private static final class CountingTransport extends ForwardingTransport {
        final AtomicInteger waitingPolls = new AtomicInteger();
        final AtomicInteger quickPolls = new AtomicInteger();

        CountingTransport(final WorkerTransport delegate) {
            super(delegate);
        }

        @Override
        public byte[] pollResult(final long timeoutMs) throws InterruptedException {
            (timeoutMs > 0 ? waitingPolls : quickPolls).incrementAndGet();
            return delegate.pollResult(timeoutMs);
        }
    }
}
