package dev.forklift.pool;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool's {@code close()} kills a worker that was never given a task (and runs no initializer) rather than waiting
 * for it to make its loop and see its inbox end; a worker that ran tasks still ends by itself (real child JVMs; a
 * worker is held once ready, before its loop, with the test hook {@code -Dforklift.test.slowWorkerLoop=NAME:MS} of
 * {@code WorkerMain}, and held before ready with {@code -Dforklift.test.slowStart} of {@code ChildMain}).
 */
@ProcessDeadline(seconds = 120)
class PoolCloseIdleWorkerTest {
    /** How long the idle worker is held before its loop: far longer than close's grace (5 s) for a worker. */
    private static final long HELD_MS = 30_000;

    @Test
    void closeDoesNotWaitForAReadyWorkerThatWasNeverGivenATask() throws Exception {
        // worker-2 is ready 2 s late, so the one task goes to worker-1; then it is held before its loop.
        final String slowStart = "-Dforklift.test.slowStart=idleclose-worker-2:2000";
        final String held = "-Dforklift.test.slowWorkerLoop=idleclose-worker-2:" + HELD_MS;
        final Pool pool = Pool.builder().workers(2).name("idleclose").jvmOptions(slowStart, held).build();
        final long closeNs;
        try {
            assertThat(pool.submit((Integer x) -> x + 1, 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            Await.until(Duration.ofSeconds(60), () -> pool.stats().liveWorkers() == 2,
                () -> "the second worker ready: " + pool.stats());
        } finally {
            closeNs = System.nanoTime();
            pool.close();
        }
        assertThat((System.nanoTime() - closeNs) / 1_000_000)
            .as("close, ms: the idle worker is killed, not waited for (the grace for a worker is 5,000 ms)")
            .isLessThan(4_000);
        assertThat(children(held)).as("no worker JVM left after close").isEmpty();
    }

    /** @return the pids of live child JVMs of this one started with the hook. */
    private static List<Long> children(final String hook) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
            .filter(p -> p.info().arguments().map(args -> List.of(args).contains(hook)).orElse(false)
                || p.info().commandLine().map(line -> line.contains(hook)).orElse(false))
            .map(ProcessHandle::pid).toList();
    }
}
