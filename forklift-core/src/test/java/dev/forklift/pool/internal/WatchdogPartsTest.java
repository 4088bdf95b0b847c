package dev.forklift.pool.internal;

import dev.forklift.pool.FailedTask;
import dev.forklift.process.ExitStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The heartbeat monitor, the resident-set reader and the failed-task registry, without worker processes. */
class WatchdogPartsTest {
    /** A channel whose heartbeat the test sets. */
    private static final class FakeChannel implements WorkerChannel {
        volatile long heartbeat = 1_000;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public long pid() {
            return 42;
        }

        @Override
        public boolean send(final byte[] frame) {
            return true;
        }

        @Override
        public void finish() {
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return new CompletableFuture<>();
        }

        @Override
        public long lastHeartbeatEpochMs() {
            return heartbeat;
        }

        @Override
        public dev.forklift.process.WorkStamp workStamp() {
            return dev.forklift.process.WorkStamp.NONE;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public void killNow() {
        }

        @Override
        public void terminate(final Duration grace) {
        }

        @Override
        public void release() {
        }
    }

    @Test
    void aHeartbeatIsStaleOnlyWhenItsValueStaysTheSameLongerThanTheTimeoutOnThisProcessClock() {
        final FakeChannel channel = new FakeChannel();
        final WorkerState worker = new WorkerState(1, channel);
        final HeartbeatMonitor monitor = new HeartbeatMonitor(1_000);
        final long t0 = System.nanoTime();
        monitor.watch(worker, t0);
        assertThat(monitor.staleForMs(worker, t0 + TimeUnit.MILLISECONDS.toNanos(900))).isEqualTo(-1);
        // The worker's clock may jump back: only a change counts.
        channel.heartbeat = 5;
        assertThat(monitor.staleForMs(worker, t0 + TimeUnit.MILLISECONDS.toNanos(1_500))).isEqualTo(-1);
        assertThat(monitor.staleForMs(worker, t0 + TimeUnit.MILLISECONDS.toNanos(2_400))).isEqualTo(-1);
        assertThat(monitor.staleForMs(worker, t0 + TimeUnit.MILLISECONDS.toNanos(2_600))).isEqualTo(1_100);
        assertThatThrownBy(() -> new HeartbeatMonitor(0)).hasMessageContaining("heartbeatTimeoutMs=0");
    }

    @Test
    void silenceWhileThisProcessItselfWasNotRunningIsNotHeldAgainstAWorker() {
        final FakeChannel channel = new FakeChannel();
        final WorkerState worker = new WorkerState(1, channel);
        final HeartbeatMonitor monitor = new HeartbeatMonitor(1_000);
        final long t0 = System.nanoTime();
        monitor.watch(worker, t0);
        // Checked every 100 ms, the worker silent: stale after the timeout.
        long now = t0;
        long stale = -1;
        while (stale < 0 && now < t0 + TimeUnit.SECONDS.toNanos(5)) {
            now += TimeUnit.MILLISECONDS.toNanos(100);
            if (monitor.due(now)) {
                stale = monitor.staleForMs(worker, now);
            }
        }
        assertThat(stale).isBetween(1_000L, 1_200L);
        // This process stops for a minute (a job stopped from the shell stops its workers too), then looks again
        // before the worker has beaten: the gap does not count.
        final HeartbeatMonitor paused = new HeartbeatMonitor(1_000);
        paused.watch(worker, t0);
        final long resumed = t0 + TimeUnit.MINUTES.toNanos(1);
        assertThat(paused.due(resumed)).isTrue();
        assertThat(paused.staleForMs(worker, resumed)).isEqualTo(-1);
        assertThat(paused.due(resumed + TimeUnit.MILLISECONDS.toNanos(100))).isTrue();
        assertThat(paused.staleForMs(worker, resumed + TimeUnit.MILLISECONDS.toNanos(100))).isEqualTo(-1);
    }

    @Test
    void theResidentSetIsReadFromProcStatus() {
        assertThat(RssReader.parseVmRss("Name:\tjava\nVmPeak:\t  9 kB\nVmRSS:\t  123456 kB\nRssAnon: 1 kB\n"))
            .isEqualTo(123456L * 1024);
        assertThat(RssReader.parseVmRss("Name:\tkthreadd\n")).isEqualTo(-1);
        assertThat(RssReader.residentBytes(ProcessHandle.current().pid())).isGreaterThan(1 << 20);
        assertThat(RssReader.residentBytes(Long.MAX_VALUE)).isEqualTo(-1);
    }

    private static FailedTask record(final long id, final Instant failedAt) {
        return new FailedTask(id, id, Long.toString(id), 1, "E", "", "", "w", 1, OptionalInt.empty(),
            OptionalInt.empty(), failedAt, failedAt, failedAt);
    }

    @Test
    void theRegistryIsBoundedByCountAndAge() {
        final FailedTaskRegistry registry = new FailedTaskRegistry(2, Duration.ofMinutes(1));
        registry.add(record(1, Instant.now()));
        registry.add(record(2, Instant.now()));
        registry.add(record(3, Instant.now()));
        assertThat(registry.snapshot()).extracting(FailedTask::taskId).containsExactly(2L, 3L);
        final FailedTaskRegistry aging = new FailedTaskRegistry(10, Duration.ofMinutes(1));
        aging.add(record(1, Instant.now().minus(Duration.ofMinutes(2))));
        aging.add(record(2, Instant.now()));
        assertThat(aging.snapshot()).extracting(FailedTask::taskId).containsExactly(2L);
        final FailedTaskRegistry none = new FailedTaskRegistry(0, Duration.ofMinutes(1));
        none.add(record(1, Instant.now()));
        assertThat(none.snapshot()).isEmpty();
        assertThatThrownBy(() -> new FailedTaskRegistry(-1, Duration.ofMinutes(1))).hasMessageContaining("-1");
    }
}
