package dev.forklift.queue;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration of the wait strategies; their timing is measured by the benchmarks, never here. */
class WaitStrategyTest {
    @Test
    void shouldDescribeTheDefaultWithItsSleepPhase() {
        assertThat(WaitStrategy.defaultStrategy().toString())
            .isEqualTo("backoff(maxSpins=200, maxYields=100, minParkNs=1000, maxParkNs=1000000,"
                + " sleepAfterNs=100000000, sleepParkNs=20000000)");
        assertThat(WaitStrategy.backoff(1, 2, 3, 4).toString())
            .isEqualTo("backoff(maxSpins=1, maxYields=2, minParkNs=3, maxParkNs=4)");
    }

    @Test
    void shouldValidateTheSleepPhase() {
        assertThatThrownBy(() -> WaitStrategy.busySpin().sleepingAfter(1, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WaitStrategy.backoff(0, 0, 10, 100).sleepingAfter(1, 99))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parkNs=99");
        assertThatThrownBy(() -> WaitStrategy.backoff(0, 0, 10, 100).sleepingAfter(0, 100))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepWakingUpInTheSleepPhase() throws Exception {
        // One park of 1 ns, then every idle is a sleep-phase park of 20 ms: each must end by itself (a timed park),
        // so 21 idles end, and the idling thread is seen parked with a timeout, never without one.
        final WaitStrategy.Idler idler = WaitStrategy.backoff(0, 0, 1, 1).sleepingAfter(1, 20_000_000).newIdler();
        final AtomicInteger idles = new AtomicInteger();
        final Thread sleeper = new Thread(() -> {
            for (int i = 0; i < 21; i++) {
                idler.idle();
                idles.incrementAndGet();
            }
        }, "sleep-phase");
        sleeper.setDaemon(true);
        sleeper.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        final EnumSet<Thread.State> seen = EnumSet.noneOf(Thread.State.class);
        while (sleeper.isAlive() && System.nanoTime() < deadline) {
            seen.add(sleeper.getState());
            Thread.sleep(1);
        }
        sleeper.join(1_000);
        assertThat(sleeper.isAlive()).as("still idling after 30 s: %d of 21 idles returned", idles.get()).isFalse();
        assertThat(idles.get()).isEqualTo(21);
        assertThat(seen).as("states of the idling thread").contains(Thread.State.TIMED_WAITING)
            .doesNotContain(Thread.State.WAITING);
    }

    @Test
    void shouldDeliverWithEveryStrategyAcrossThreads() throws Exception {
        for (final WaitStrategy strategy : new WaitStrategy[] {WaitStrategy.busySpin(), WaitStrategy.yielding(),
            WaitStrategy.defaultStrategy(), WaitStrategy.backoff(0, 0, 1, 1_000).sleepingAfter(1, 2_000)}) {
            try (Queue<Integer> queue = Queue.builder(Integer.class).capacity(2).waitStrategy(strategy).build()) {
                final Thread producer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 1_000; i++) {
                            queue.put(i);
                        }
                    } catch (final InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                });
                producer.start();
                for (int i = 0; i < 1_000; i++) {
                    assertThat(queue.poll(10, TimeUnit.SECONDS)).isEqualTo(i);
                }
                producer.join();
            }
        }
    }
}
