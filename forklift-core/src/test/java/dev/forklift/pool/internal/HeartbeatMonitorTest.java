package dev.forklift.pool.internal;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatMonitorTest {
    /** A worker whose heartbeat never changes. */
    private static WorkerState silentWorker() {
        final WorkerChannel channel = (WorkerChannel) Proxy.newProxyInstance(WorkerChannel.class.getClassLoader(),
            new Class<?>[] {WorkerChannel.class}, (proxy, method, args) -> switch (method.getName()) {
                case "lastHeartbeatEpochMs" -> 1_000L;
                case "name" -> "silent";
                case "pid" -> 42L;
                default -> throw new UnsupportedOperationException(method.getName());
            });
        return new WorkerState(0, channel);
    }

    @Test
    void aHeartbeatSilentJustOverTheTimeoutIsReportedAsLongerThanTheTimeout() {
        final HeartbeatMonitor monitor = new HeartbeatMonitor(2_000);
        final WorkerState worker = silentWorker();
        final long seenNs = System.nanoTime() + 1_000_000;
        monitor.watch(worker, seenNs);
        assertThat(monitor.staleForMs(worker, seenNs + 2_000_000_000L)).as("exactly the timeout is not stale")
            .isEqualTo(-1);
        // 2000.000001 ms silent: reported as 2001 ms, so "silent for N ms" always exceeds the 2000 ms timeout.
        assertThat(monitor.staleForMs(worker, seenNs + 2_000_000_001L)).isEqualTo(2_001);
        assertThat(monitor.staleForMs(worker, seenNs + 2_500_000_000L)).isEqualTo(2_500);
    }
}
