package dev.forklift.pool.internal;

import dev.forklift.pool.Pool;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fault of the collector thread itself (here an {@code Error} from its transport while a task is in flight)
 * breaks the pool with that cause: the caller's future fails, it does not wait for ever on a thread that is gone.
 */
@ProcessDeadline(seconds = 90)
class CollectorFailureTest {

    @Test
    void aCollectorThatDiesBreaksThePoolAndFailsTheWaitingTask() throws Exception {
        final PoolConfig config = Pool.builder().workers(1).name("collector-fault").config();
        final FaultOnce transport = new FaultOnce(new SharedMemoryTransport(config));
        try (Pool pool = PoolImpl.start(config, transport)) {
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            transport.armed.set(true);
            final CompletableFuture<Integer> waiting = pool.submit((Integer x) -> x + 1, 2);
            assertThatThrownBy(() -> waiting.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("the pool's collector failed")
                .hasStackTraceContaining("injected collector fault");
        }
    }

    /**
     * Once armed, throws an {@code Error} from the first poll that brings a frame, in place of that frame. It keys on
     * the frame, not on the kind of poll: a collector that last saw the pool idle reads the next result with a poll
     * that does not wait, and a fault armed only on waiting polls never fired when the task was that quick.
     */
    private static final class FaultOnce extends ForwardingTransport {
        final AtomicBoolean armed = new AtomicBoolean();

        FaultOnce(final WorkerTransport delegate) {
            super(delegate);
        }

        @Override
        public byte[] pollResult(final long timeoutMs) throws InterruptedException {
            final byte[] frame = delegate.pollResult(timeoutMs);
            if (frame != null && armed.compareAndSet(true, false)) {
                throw new AssertionError("injected collector fault");
            }
            return frame;
        }
    }
}
