package dev.forklift.bench.queue;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.PythonPeer;
import dev.forklift.process.ChildProcess;
import dev.forklift.queue.Queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IDLE: the CPU a consumer process uses while blocked for {@value #SECONDS} s on an empty queue with the default
 * wait strategy, in percent of one core: the whole child JVM's user plus system time, read from the OS before
 * and after. The target is absolute (under 2 %); the peer, a Python process blocked in {@code mp.Queue.get()},
 * is shown for scale.
 */
public final class IdleCase implements BenchCase {
    static final int SECONDS = 10;
    private static final double MAX_PERCENT = 2.0;

    @Override
    public String name() {
        return "IDLE";
    }

    @Override
    public String description() {
        return "CPU of a consumer process blocked " + SECONDS + " s on an empty queue (whole JVM, user+sys), % of one"
            + " core; peer a process blocked in mp.Queue.get(); target absolute";
    }

    @Override
    public String unit() {
        return "%core";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public double targetRatio() {
        return 0;
    }

    @Override
    public boolean passes(final double forklift, final double peer) {
        return forklift < MAX_PERCENT;
    }

    @Override
    public double ratio(final double forklift, final double peer) {
        return Double.NaN; // the target is absolute; the peer is shown for scale only
    }

    @Override
    public String target() {
        return "<" + MAX_PERCENT + "%";
    }

    @Override
    public double runForklift() throws Exception {
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("bench-idle").capacity(16).maxMessageBytes(64)
            .waitStrategy(ChildJvms.waitStrategy()).build()) {
            final ChildProcess child = ChildJvms.child(QueueTasks.IdleConsumer.class, "idle", queue, SECONDS * 3)
                .start();
            try {
                Thread.sleep(500);
                final long t0 = System.nanoTime();
                final Duration c0 = cpu(child);
                Thread.sleep(SECONDS * 1000L);
                final Duration c1 = cpu(child);
                final long t1 = System.nanoTime();
                queue.close();
                ChildJvms.joinAll(List.of(child));
                return c1.minus(c0).toNanos() * 100.0 / (t1 - t0);
            } finally {
                child.kill();
            }
        }
    }

    @Override
    public double runPeer() throws Exception {
        final Map<String, String> result = PythonPeer.run("mp_peers.py", 60, "idle", "--seconds",
            String.valueOf(SECONDS));
        return Double.parseDouble(result.get("cpu_percent"));
    }

    private static Duration cpu(final ChildProcess child) {
        final Optional<Duration> cpu = ProcessHandle.of(child.pid()).flatMap(h -> h.info().totalCpuDuration());
        return cpu.orElseThrow(() -> new IllegalStateException("cannot read the CPU time of pid " + child.pid()));
    }
}
