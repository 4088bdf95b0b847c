package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The kept daemon threads: reuse, names, class loaders, interrupts, joins, and a body that throws. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaemonThreadsTest {

    @Test
    void aBodyRunsUnderItsNameAsADaemonWithItsStartersClassLoaderAndTheThreadIsKeptForTheNext() throws Exception {
        final AtomicReference<Thread> first = new AtomicReference<>();
        final AtomicReference<String> name = new AtomicReference<>();
        final AtomicReference<ClassLoader> loader = new AtomicReference<>();
        final ClassLoader own = new URLClassLoader(new URL[0], getClass().getClassLoader());
        final ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(own);
        final DaemonThreads.Body body;
        try {
            body = DaemonThreads.start("test-first", () -> {
                first.set(Thread.currentThread());
                name.set(Thread.currentThread().getName());
                loader.set(Thread.currentThread().getContextClassLoader());
            });
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertThat(body.join(10_000)).isTrue();
        assertThat(body.isDone()).isTrue();
        assertThat(name.get()).isEqualTo("test-first");
        assertThat(loader.get()).isSameAs(own);
        assertThat(first.get().isDaemon()).isTrue();
        waitUntilIdle(first.get());
        assertThat(first.get().isAlive()).as("kept after its body").isTrue();

        final AtomicReference<Thread> second = new AtomicReference<>();
        final DaemonThreads.Body next = DaemonThreads.start("test-second", () -> second.set(Thread.currentThread()));
        assertThat(next.join(10_000)).isTrue();
        assertThat(second.get()).as("the idle thread took the next body").isSameAs(first.get());
    }

    @Test
    void anInterruptReachesTheRunningBodyAndNeverTheNextOne() throws Exception {
        final CountDownLatch running = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final DaemonThreads.Body body = DaemonThreads.start("test-sleeper", () -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (final InterruptedException ex) {
                interrupted.set(true);
                Thread.currentThread().interrupt(); // left set: the thread must clear it before the next body
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(body.join(50)).as("still sleeping").isFalse();
        body.interrupt();
        assertThat(body.join(10_000)).isTrue();
        assertThat(interrupted).isTrue();
        body.interrupt(); // after its end: nobody's

        final AtomicBoolean nextSawInterrupt = new AtomicBoolean(true);
        final DaemonThreads.Body next = DaemonThreads.start("test-next",
            () -> nextSawInterrupt.set(Thread.currentThread().isInterrupted()));
        assertThat(next.join(10_000)).isTrue();
        assertThat(nextSawInterrupt).isFalse();
    }

    @Test
    void aBodyThatThrowsIsReportedUnderItsNameAndItsJoinReturns() throws Exception {
        final AtomicReference<String> reportedName = new AtomicReference<>();
        final AtomicReference<Throwable> reported = new AtomicReference<>();
        final Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, thrown) -> {
            reportedName.set(thread.getName());
            reported.set(thrown);
        });
        try {
            final DaemonThreads.Body body = DaemonThreads.start("test-thrower", () -> {
                throw new IllegalStateException("on purpose");
            });
            assertThat(body.join(10_000)).isTrue();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(reportedName.get()).isEqualTo("test-thrower");
        assertThat(reported.get()).isInstanceOf(IllegalStateException.class).hasMessage("on purpose");
    }

    @Test
    void joinOnTheBodysOwnThreadReturnsAtOnce() throws Exception {
        final AtomicReference<Boolean> joined = new AtomicReference<>();
        final AtomicReference<Boolean> current = new AtomicReference<>();
        final AtomicReference<DaemonThreads.Body> self = new AtomicReference<>();
        final CountDownLatch started = new CountDownLatch(1);
        final DaemonThreads.Body body = DaemonThreads.start("test-self", () -> {
            try {
                started.await();
            } catch (final InterruptedException ex) {
                return;
            }
            current.set(self.get().isCurrentThread());
            joined.set(self.get().join(60_000));
        });
        self.set(body);
        assertThat(body.isCurrentThread()).isFalse();
        started.countDown();
        assertThat(body.join(10_000)).isTrue();
        assertThat(current.get()).isTrue();
        assertThat(joined.get()).as("a body cannot wait for its own end").isFalse();
    }

    @Test
    void prestartedThreadsAreThereBeforeAnyBody() {
        DaemonThreads.prestart(2);
        assertThat(DaemonThreads.threads()).isGreaterThanOrEqualTo(2);
        assertThat(Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals(DaemonThreads.IDLE_NAME) && thread.isDaemon()).count())
            .isGreaterThanOrEqualTo(1);
    }

    /** Waits until the thread, named idle again, waits for its next body. */
    private static void waitUntilIdle(final Thread thread) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!idle(thread) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(thread.getName()).isEqualTo(DaemonThreads.IDLE_NAME);
        assertThat(thread.getState()).isIn(Thread.State.TIMED_WAITING, Thread.State.WAITING);
    }

    private static boolean idle(final Thread thread) {
        final Thread.State state = thread.getState();
        return thread.getName().equals(DaemonThreads.IDLE_NAME)
            && (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING);
    }
}
