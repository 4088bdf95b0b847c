package dev.forklift.cli.chaos;

import org.apache.activemq.artemis.api.core.ActiveMQInterruptedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class FaultLoopTest {
    private static final long FAR_DEADLINE_NS = Long.MAX_VALUE;

    @Test
    void theStopInterruptInsideABrokerCallIsNotAFaultOfTheRun() throws Exception {
        // the shape of the CI failure: the run ends, interrupts its killer while it waits in an Artemis call,
        // and the client library turns the interrupt into its own unchecked exception
        final CountDownLatch waiting = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>(new AssertionError("loop did not end"));
        final AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        final Thread killer = new Thread(() -> {
            error.set(FaultLoop.run(FAR_DEADLINE_NS, () -> {
                waiting.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (final InterruptedException ex) {
                    throw new ActiveMQInterruptedException(ex);
                }
            }));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        killer.start();
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        killer.interrupt();
        killer.join(10_000);
        assertThat(killer.isAlive()).isFalse();
        assertThat(error.get()).isNull();
        assertThat(interruptedAfter.get()).isTrue();
    }

    @Test
    void aPlainInterruptEndsTheLoopQuietly() throws Exception {
        final CountDownLatch waiting = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>(new AssertionError("loop did not end"));
        final Thread killer = new Thread(() -> error.set(FaultLoop.run(FAR_DEADLINE_NS, () -> {
            waiting.countDown();
            Thread.sleep(60_000);
        })));
        killer.start();
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        killer.interrupt();
        killer.join(10_000);
        assertThat(error.get()).isNull();
    }

    @Test
    void aFailedFaultIsTheRunsError() {
        final IOException broken = new IOException("kill: not found");
        assertThat(FaultLoop.run(FAR_DEADLINE_NS, () -> {
            throw broken;
        })).isSameAs(broken);
        final IllegalStateException bug = new IllegalStateException("no such host h3");
        assertThat(FaultLoop.run(FAR_DEADLINE_NS, () -> {
            throw bug;
        })).isSameAs(bug);
    }

    @Test
    void theLoopInjectsUntilItsDeadline() {
        final AtomicInteger injected = new AtomicInteger();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        assertThat(FaultLoop.run(deadlineNs, () -> {
            injected.incrementAndGet();
            Thread.sleep(5);
        })).isNull();
        assertThat(injected.get()).isBetween(1, 11);
    }
}
