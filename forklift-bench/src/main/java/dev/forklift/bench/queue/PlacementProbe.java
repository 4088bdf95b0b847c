package dev.forklift.bench.queue;

import dev.forklift.codec.internal.BuiltInCodecs;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.MessageWriter;
import dev.forklift.queue.QueueClosedException;
import dev.forklift.queue.WaitStrategy;
import dev.forklift.queue.internal.SharedQueue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A diagnosis of the in-place cases' two modes (docs/benchmarks.md, "Q1KZ and Q64KZ: the two modes"): how fast the
 * {@link InPlacePair} work runs with its two threads on one vCPU, on two, or where the scheduler puts them, and how
 * long one cache line takes to go between the two vCPUs and back. Linux only (it reads {@code /proc} and pins
 * threads with {@code taskset}); a tool to run by hand, not a case of {@code ./forklift bench}.
 *
 * <pre>
 * java -cp forklift-bench/target/forklift-bench.jar dev.forklift.bench.queue.PlacementProbe pair 1024 4096 same|split|none RUNS [default|spin|yield]
 * java -cp forklift-bench/target/forklift-bench.jar dev.forklift.bench.queue.PlacementProbe pingpong
 * </pre>
 *
 * <p>For each pair run it prints the consumer's rate over 1.5 s, the median and 90th percentile of its rate in
 * 2 ms windows (the 90th is about what the pair does while both threads are on a CPU, also on a busy machine), how
 * often the queue was seen full and empty, how often both threads were last on the same CPU, and each thread's CPU
 * time and context switches (voluntary: parks; involuntary: preemptions and yields that switched).
 */
public final class PlacementProbe {
    private static final long WARMUP_MS = 700;
    private static final long MEASURE_NS = 1_500_000_000L;

    private PlacementProbe() {
    }

    /**
     * @param args {@code pair BYTES SLOTS same|split|none RUNS [default|spin|yield]} (the queue's wait strategy,
     *             default by default), or {@code pingpong}.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("pingpong")) {
            pingPong();
            return;
        }
        if (args.length < 5 || args.length > 6 || !args[0].equals("pair")) {
            throw new IllegalArgumentException("usage: pair BYTES SLOTS same|split|none RUNS [default|spin|yield]"
                + " | pingpong; got " + String.join(" ", args));
        }
        final String strategy = args.length == 6 ? args[5] : "default";
        for (int run = 0; run < Integer.parseInt(args[4]); run++) {
            pair(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], strategy);
        }
    }

    private static void pair(final int messageBytes, final int slots, final String placement, final String strategy)
        throws Exception {
        final WaitStrategy wait = strategy.equals("spin") ? WaitStrategy.busySpin()
            : strategy.equals("yield") ? WaitStrategy.yielding() : WaitStrategy.defaultStrategy();
        final SharedQueue<byte[]> queue = SharedQueue.inMemory("bench-placement", slots, messageBytes,
            BuiltInCodecs.Bytes.INSTANCE, wait);
        final byte[] message = new byte[messageBytes];
        final MessageWriter writer = slot -> slot.put(message).position();
        final InPlaceTasks.Summer summer = new InPlaceTasks.Summer();
        final AtomicLong taken = new AtomicLong();
        final Thread producer = new Thread(() -> {
            try {
                while (true) {
                    queue.putInPlace(messageBytes, writer);
                }
            } catch (final QueueClosedException | InterruptedException ex) {
                // run over
            }
        }, "probe-producer");
        final Thread consumer = new Thread(() -> {
            try {
                while (true) {
                    queue.takeInPlace(summer);
                    taken.lazySet(taken.get() + 1);
                }
            } catch (final EndOfStreamException | InterruptedException ex) {
                // run over
            }
        }, "probe-consumer");
        producer.start();
        consumer.start();
        Thread.sleep(WARMUP_MS);
        final String producerTid = tidOf("probe-producer");
        final String consumerTid = tidOf("probe-consumer");
        if (!placement.equals("none")) {
            pin(producerTid, "0");
            pin(consumerTid, placement.equals("same") ? "0" : "1");
            Thread.sleep(300);
        }
        final long[] producer0 = threadStat(producerTid);
        final long[] consumer0 = threadStat(consumerTid);
        final List<Double> windows = new ArrayList<>();
        int samples = 0;
        int full = 0;
        int empty = 0;
        int sameCpu = 0;
        final long count0 = taken.get();
        final long start = System.nanoTime();
        long lastCount = count0;
        long lastNs = start;
        while (System.nanoTime() - start < MEASURE_NS) {
            Thread.sleep(2);
            final long count = taken.get();
            final long now = System.nanoTime();
            windows.add((count - lastCount) * 1e3 / (now - lastNs));
            lastCount = count;
            lastNs = now;
            final int size = queue.size();
            samples++;
            full += size >= slots ? 1 : 0;
            empty += size == 0 ? 1 : 0;
            sameCpu += threadStat(producerTid)[1] == threadStat(consumerTid)[1] ? 1 : 0;
        }
        final long elapsedNs = System.nanoTime() - start;
        final long count1 = taken.get();
        final long[] producer1 = threadStat(producerTid);
        final long[] consumer1 = threadStat(consumerTid);
        queue.close();
        producer.join();
        consumer.join();
        Collections.sort(windows);
        System.out.printf("%s %s %d B x %d: %.2fM msgs/s, 2 ms windows p50 %.2fM p90 %.2fM, full %d%% empty %d%%,"
                + " same CPU %d%% | producer CPU %d ms, switches %d/%d | consumer CPU %d ms, switches %d/%d%n",
            placement, strategy, messageBytes, slots, (count1 - count0) * 1e3 / elapsedNs, windows.get(windows.size() / 2),
            windows.get(windows.size() * 9 / 10), 100 * full / samples, 100 * empty / samples, 100 * sameCpu / samples,
            (producer1[0] - producer0[0]) * 10, producer1[2] - producer0[2], producer1[3] - producer0[3],
            (consumer1[0] - consumer0[0]) * 10, consumer1[2] - consumer0[2], consumer1[3] - consumer0[3]);
    }

    /** One cache line back and forth between a thread on CPU 0 and one on CPU 1: min, p10 and p50 of 2 ms windows. */
    private static void pingPong() throws Exception {
        final AtomicLong line = new AtomicLong();
        final Thread pong = new Thread(() -> {
            long value = 1;
            while (true) {
                while (line.get() != value) {
                    Thread.onSpinWait();
                }
                line.set(value + 1);
                value += 2;
            }
        }, "probe-pong");
        pong.setDaemon(true);
        pong.start();
        Thread.currentThread().setName("probe-ping");
        pin(tidOf("probe-pong"), "1");
        pin(tidOf("probe-ping"), "0");
        final List<Double> windows = new ArrayList<>();
        long value = 0;
        for (int window = 0; window < 1500; window++) {
            final long start = System.nanoTime();
            int trips = 0;
            while (System.nanoTime() - start < 2_000_000L) {
                for (int i = 0; i < 100; i++) {
                    line.set(value + 1);
                    value += 2;
                    while (line.get() != value) {
                        Thread.onSpinWait();
                    }
                }
                trips += 100;
            }
            if (window >= 100) {
                windows.add((System.nanoTime() - start) / (double) trips);
            }
        }
        Collections.sort(windows);
        System.out.printf("round trip of one cache line, CPU 0 <-> CPU 1, ns: min %.0f p10 %.0f p50 %.0f%n",
            windows.get(0), windows.get(windows.size() / 10), windows.get(windows.size() / 2));
    }

    private static String tidOf(final String threadName) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (final Path task : tasks) {
                if (Files.readString(task.resolve("comm")).trim().equals(threadName)) {
                    return task.getFileName().toString();
                }
            }
        }
        throw new IllegalStateException("no thread named " + threadName + " in /proc/self/task");
    }

    private static void pin(final String tid, final String cpus) throws Exception {
        final Process taskset = new ProcessBuilder("taskset", "-p", "-c", cpus, tid).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset -p -c " + cpus + " " + tid + " failed");
        }
    }

    /** @return utime + stime in ticks, the CPU it last ran on, voluntary and involuntary context switches. */
    private static long[] threadStat(final String tid) throws IOException {
        final String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long voluntary = 0;
        long involuntary = 0;
        for (final String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
            if (line.startsWith("voluntary_ctxt_switches")) {
                voluntary = Long.parseLong(line.split("\\s+")[1]);
            } else if (line.startsWith("nonvoluntary_ctxt_switches")) {
                involuntary = Long.parseLong(line.split("\\s+")[1]);
            }
        }
        return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long.parseLong(fields[36]),
            voluntary, involuntary};
    }
}
