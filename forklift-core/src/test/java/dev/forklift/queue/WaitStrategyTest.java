package dev.forklift.queue;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

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
    void shouldKeepWakingUpInTheSleepPhase() {
        final WaitStrategy.Idler idler = WaitStrategy.backoff(1, 1, 1_000, 10_000).sleepingAfter(20_000, 50_000)
            .newIdler();
        for (int i = 0; i < 20; i++) {
            idler.idle();
        }
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
