package dev.forklift.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Timeouts, interrupts and misuse of the robust primitives, between threads of one JVM (the same shared-memory code
 * paths as across processes; the process-crossing behaviour is in {@link RobustPrimitivesCrossProcessTest}).
 */
class RobustPrimitivesWaitTest {
    private static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void aTimedLockTimesOutWhileAnotherThreadHoldsItAndAnInterruptStopsAWaitingLock() throws Exception {
        try (SharedMutex mutex = SharedMutex.create()) {
            holdInOtherThread(mutex, () -> {
                assertThat(mutex.tryLock(SHORT)).isFalse();
                assertThat(mutex.tryLock()).isFalse();
                assertThat(mutex.ownerPid()).hasValue(ProcessHandle.current().pid());
                assertThatThrownBy(() -> interruptedWhile(mutex::lockInterruptibly))
                    .isInstanceOf(InterruptedException.class);
                assertThat(mutex.isHeldByCurrentThread()).isFalse();
            });
            assertThat(mutex.tryLock(SHORT)).isTrue();
            mutex.unlock();
        }
    }

    @Test
    void misuseFailsFastWithAMessage() {
        try (SharedMutex mutex = SharedMutex.create(); SharedReentrantLock lock = SharedReentrantLock.create()) {
            assertThatThrownBy(mutex::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("not held");
            mutex.lock();
            assertThatThrownBy(mutex::lock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("not reentrant");
            mutex.unlock();
            lock.lock();
            lock.lock();
            assertThat(lock.holdCount()).isEqualTo(2);
            lock.unlock();
            lock.unlock();
            assertThat(lock.isLocked()).isFalse();
            assertThatThrownBy(() -> SharedMutex.create("bad name!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=bad name!");
            assertThatThrownBy(() -> SharedSemaphore.create(null, -1)).hasMessageContaining("permits=-1");
            assertThatThrownBy(() -> SharedBarrier.create(0)).hasMessageContaining("parties=0");
        }
    }

    @Test
    void aNamedPrimitiveIsOpenedByNameAndANameIsUniquePerKind() {
        try (SharedMutex mutex = SharedMutex.create("orders-lock"); SharedMutex opened = SharedMutex.open("orders-lock")) {
            opened.lock();
            assertThat(mutex.isHeldByCurrentThread()).as("the same lock through another handle").isTrue();
            opened.unlock();
            assertThatThrownBy(() -> SharedMutex.create("orders-lock")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already named 'orders-lock'");
            assertThatThrownBy(() -> SharedEvent.open("orders-lock")).hasMessageContaining("no live event");
        }
    }

    @Test
    void semaphoreTimesOutAndAnInterruptStopsItsWait() throws Exception {
        try (SharedSemaphore semaphore = SharedSemaphore.create("pool-slots", 1)) {
            assertThat(semaphore.tryAcquire()).isTrue();
            assertThat(semaphore.tryAcquire(SHORT)).isFalse();
            assertThatThrownBy(() -> interruptedWhile(semaphore::acquire)).isInstanceOf(InterruptedException.class);
            semaphore.release();
            semaphore.release(); // counting: a release beyond the holds adds a permit
            assertThat(semaphore.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void eventWaitsTimeOutAndReturnOnceSetEvenIfClearedAtOnce() throws Exception {
        try (SharedEvent event = SharedEvent.create()) {
            assertThat(event.await(SHORT)).isFalse();
            final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return event.await(Duration.ofSeconds(30));
                } catch (final InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            Thread.sleep(20);
            event.set();
            event.clear();
            assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(event.isSet()).isFalse();
            assertThatThrownBy(() -> interruptedWhile(event::await)).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void conditionAwaitTimesOutHoldingTheLockAgainAndWakesOnSignal() throws Exception {
        try (SharedReentrantLock lock = SharedReentrantLock.create(); SharedCondition condition = lock.newCondition()) {
            assertThatThrownBy(condition::signal).isInstanceOf(IllegalMonitorStateException.class);
            lock.lock();
            lock.lock();
            try {
                assertThat(condition.await(SHORT)).isFalse();
                assertThat(lock.holdCount()).as("both holds back after the wait").isEqualTo(2);
            } finally {
                lock.unlock();
                lock.unlock();
            }
            final CountDownLatch waiting = new CountDownLatch(1);
            final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                lock.lock();
                try {
                    waiting.countDown();
                    return condition.await(Duration.ofSeconds(30)) && lock.isHeldByCurrentThread();
                } catch (final InterruptedException ex) {
                    throw new IllegalStateException(ex);
                } finally {
                    lock.unlock();
                }
            });
            waiting.await();
            lock.lock();
            try {
                condition.signalAll();
            } finally {
                lock.unlock();
            }
            assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
            lock.lock();
            try {
                assertThatThrownBy(() -> interruptedWhile(condition::await)).isInstanceOf(InterruptedException.class);
                assertThat(lock.isHeldByCurrentThread()).as("the lock is held again when the interrupt is thrown")
                    .isTrue();
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void barrierRunsItsActionOnceARoundAndATimeoutBreaksItForTheOthers() throws Exception {
        final AtomicReference<String> ran = new AtomicReference<>("");
        try (SharedBarrier barrier = SharedBarrier.create(null, 2, () -> ran.updateAndGet(s -> s + "x"))) {
            final CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
                try {
                    return barrier.await();
                } catch (final Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            final int index = barrier.await();
            assertThat(index + other.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(ran.get()).isEqualTo("x");
            assertThat(barrier.rounds()).isEqualTo(1);
            assertThatThrownBy(() -> barrier.await(SHORT)).isInstanceOf(TimeoutException.class);
            assertThat(barrier.isBroken()).isTrue();
            assertThatThrownBy(barrier::await).isInstanceOfSatisfying(BarrierBrokenException.class,
                broken -> assertThat(broken.reason()).isEqualTo(BarrierBrokenException.Reason.TIMEOUT));
            barrier.reset();
            assertThat(barrier.isBroken()).isFalse();
        }
    }

    /** Runs the action in this thread while another thread interrupts it after a short while. */
    private static void interruptedWhile(final InterruptibleAction action) throws Exception {
        final Thread self = Thread.currentThread();
        final Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (final InterruptedException ignored) {
                return;
            }
            self.interrupt();
        });
        interrupter.start();
        try {
            action.run();
        } finally {
            interrupter.join();
            Thread.interrupted();
        }
    }

    private static void holdInOtherThread(final SharedLock lock, final InterruptibleAction whileHeld) throws Exception {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread holder = new Thread(() -> {
            lock.lock();
            held.countDown();
            try {
                done.await();
            } catch (final InterruptedException ignored) {
                // release below
            } finally {
                lock.unlock();
            }
        });
        holder.start();
        held.await();
        try {
            whileHeld.run();
        } finally {
            done.countDown();
            holder.join();
        }
    }

    @FunctionalInterface
    private interface InterruptibleAction {
        void run() throws Exception;
    }
}
