package dev.forklift.bench.queue;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.Format;
import dev.forklift.bench.Limit;
import dev.forklift.bench.Limits;
import dev.forklift.bench.PythonPeer;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.queue.Queue;
import dev.forklift.queue.WaitStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * RTT: ping-pong of 16-byte messages between two processes over two queues with the default wait strategy, in
 * continuous flow (the next ping leaves as soon as the pong arrives); median round trip in microseconds, p99
 * noted. Peer: ping-pong over a Python {@code Pipe()}.
 */
public final class RoundTripCase implements BenchCase {
    private static final int WARMUP = 20_000;
    private static final int COUNT = 20_000;

    private final List<Double> forkliftP99 = new ArrayList<>();
    private final List<Double> peerP99 = new ArrayList<>();

    @Override
    public String name() {
        return "RTT";
    }

    @Override
    public String description() {
        return "ping-pong 16 B between 2 processes over 2 queues, default wait strategy, " + WARMUP + " warm-up + "
            + COUNT + " timed round trips, median; peer Pipe() send_bytes/recv_bytes";
    }

    @Override
    public String unit() {
        return "us";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public double targetRatio() {
        return 10;
    }

    @Override
    public String target() {
        return "<=1/10";
    }

    @Override
    public Limit limit() {
        return Limits.arrayBlockingQueueRoundTrip();
    }

    @Override
    public String notes() {
        return "p99 us: Forklift " + list(forkliftP99) + ", peer " + list(peerP99);
    }

    @Override
    public double runForklift() throws Exception {
        try (Queue<byte[]> ping = Queue.builder(byte[].class).name("bench-ping").capacity(16).maxMessageBytes(64)
                .waitStrategy(ChildJvms.waitStrategy()).build();
             Queue<byte[]> pong = Queue.builder(byte[].class).name("bench-pong").capacity(16).maxMessageBytes(64)
                 .waitStrategy(ChildJvms.waitStrategy()).build();
             Queue<String> result = Queue.builder(String.class).name("bench-rtt-result").capacity(4)
                 .maxMessageBytes(256).build()) {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                ChildJvms.child(QueueTasks.Echo.class, "echo", ping, pong),
                ChildJvms.child(QueueTasks.Pinger.class, "pinger", ping, pong, result, WARMUP, COUNT));
            try {
                final String line = result.poll(120, TimeUnit.SECONDS);
                if (line == null) {
                    throw new IllegalStateException("no result from the pinger: " + children);
                }
                ping.close();
                pong.close();
                ChildJvms.joinAll(children);
                final String[] parts = line.split(" ");
                forkliftP99.add(Long.parseLong(parts[1]) / 1e3);
                return Long.parseLong(parts[0]) / 1e3;
            } finally {
                ChildJvms.closeAll(children);
            }
        }
    }

    @Override
    public double runPeer() throws Exception {
        final Map<String, String> result = PythonPeer.run("mp_peers.py", 120, "pingpong", "--count",
            String.valueOf(COUNT), "--warmup", "1000");
        peerP99.add(Double.parseDouble(result.get("p99_us")));
        return Double.parseDouble(result.get("median_us"));
    }

    private static String list(final List<Double> values) {
        final StringBuilder text = new StringBuilder();
        for (final double value : values) {
            text.append(text.length() == 0 ? "" : " ").append(Format.number(value));
        }
        return "[" + text + "]";
    }
}
