package dev.forklift.bench.queue;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.Format;
import dev.forklift.bench.Limit;
import dev.forklift.bench.Limits;
import dev.forklift.bench.PythonPeer;
import dev.forklift.bench.Stats;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.queue.Queue;
import dev.forklift.sync.SharedBarrier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of a {@link Queue} between producer and consumer processes, against Python's {@code mp.Queue} (or
 * {@code Pipe}) in the same topology.
 *
 * <p>Forklift side: the parent creates the queue and starts the producer and consumer JVMs; producers put as
 * fast as they can, consumers take and count into their shared-memory progress counters. Once every consumer
 * has taken its first item, the parent waits {@value #WARMUP_MS} ms of warm-up, then samples the counters over
 * {@value #MEASURE_MS} ms; closing the queue ends the run (the sampled mode: steady state). The end-to-end
 * variants ({@link #endToEnd}) instead move a fixed count from the first put to the last take, JIT warm-up
 * included ({@link EndToEndTasks}). The children run with Forklift's default settings. Peer side:
 * {@code mp_peers.py}, timed from a barrier to the last {@code get()}.
 */
public final class QueueThroughputCase implements BenchCase {
    static final long WARMUP_MS = 700;
    static final long MEASURE_MS = 1500;

    private final String name;
    private final String description;
    private final boolean records;
    private final int messageBytes;
    private final int producers;
    private final int consumers;
    private final int capacity;
    private final boolean perMegabyte;
    private final double targetRatio;
    private final String[] peerArgs;
    private final Limit limit;
    private final int batch;
    private final boolean inPlace;
    private final long endToEndCount;
    private final Stats forkliftRuns = new Stats();
    private final Stats pairRuns = new Stats();
    /** Per sampled in-place run: the share of samples with producer and consumer last on one CPU. */
    private final List<Double> sameCpuShares = new ArrayList<>();

    private QueueThroughputCase(final String name, final String description, final boolean records,
        final int messageBytes, final int producers, final int consumers, final int capacity,
        final boolean perMegabyte, final double targetRatio, final Limit limit, final String... peerArgs) {
        this(name, description, records, messageBytes, producers, consumers, capacity, perMegabyte, targetRatio, limit,
            1, false, 0, peerArgs);
    }

    private QueueThroughputCase(final String name, final String description, final boolean records,
        final int messageBytes, final int producers, final int consumers, final int capacity,
        final boolean perMegabyte, final double targetRatio, final Limit limit, final int batch,
        final boolean inPlace, final long endToEndCount, final String... peerArgs) {
        this.batch = batch;
        this.endToEndCount = endToEndCount;
        this.inPlace = inPlace;
        this.name = name;
        this.description = description;
        this.records = records;
        this.messageBytes = messageBytes;
        this.producers = producers;
        this.consumers = consumers;
        this.capacity = capacity;
        this.perMegabyte = perMegabyte;
        this.targetRatio = targetRatio;
        this.limit = limit;
        this.peerArgs = peerArgs;
    }

    /** @return Q16: 16-byte arrays, 1 producer to 1 consumer process, against {@code mp.Queue}. */
    public static QueueThroughputCase q16() {
        return new QueueThroughputCase("Q16", "Queue<byte[]> 16 B, 1 producer -> 1 consumer process, capacity 4096;"
            + " peer mp.Queue", false, 16, 1, 1, 4096, false, 40, Limits.arrayBlockingQueue(16, false),
            "queue", "--size", "16", "--count", "300000");
    }

    /** @return Q1K: 1 KiB arrays, 1 producer to 1 consumer process, against {@code mp.Queue}. */
    public static QueueThroughputCase q1k() {
        return new QueueThroughputCase("Q1K", "Queue<byte[]> 1 KiB, 1 producer -> 1 consumer process, capacity"
            + " 4096; peer mp.Queue", false, 1024, 1, 1, 4096, false, 25, Limits.arrayBlockingQueue(1024, false),
            "queue", "--size", "1024", "--count", "250000");
    }

    /** @return Q64K: 64 KiB arrays, 1 producer to 1 consumer process, in MB/s, against {@code Pipe.send_bytes}. */
    public static QueueThroughputCase q64k() {
        return new QueueThroughputCase("Q64K", "Queue<byte[]> 64 KiB, 1 producer -> 1 consumer process, capacity 64,"
            + " MB/s; peer Pipe(duplex=False).send_bytes", false, 64 * 1024, 1, 1, 64, true, 2, Limits.memoryCopy(),
            "pipe", "--size", "65536", "--count", "40000");
    }

    /** @return QMPMC: 1 KiB arrays, 2 producer to 2 consumer processes, against {@code mp.Queue}. */
    public static QueueThroughputCase qmpmc() {
        return new QueueThroughputCase("QMPMC", "Queue<byte[]> 1 KiB, 2 producer -> 2 consumer processes, capacity"
            + " 4096; peer mp.Queue, same topology", false, 1024, 2, 2, 4096, false, 20,
            Limits.arrayBlockingQueue(1024, false),
            "queue", "--size", "1024", "--producers", "2", "--consumers", "2", "--count", "200000");
    }

    /** @return QOBJ: a small record through the default codec, against a small tuple through {@code mp.Queue}. */
    public static QueueThroughputCase qobj() {
        return new QueueThroughputCase("QOBJ", "Queue<Reading> record(long, double, String) via the default codec,"
            + " 1 -> 1 process; peer mp.Queue with (int, float, str)", true, 64, 1, 1, 4096, false, 10,
            Limits.arrayBlockingQueue(16, false), "obj", "--count", "200000");
    }

    /**
     * @param suffix appended to the name.
     * @param runLength items per {@link Queue#putAll} and most items per {@link Queue#takeInto}.
     * @return this case with the batch operations instead of single puts and takes, same peer.
     */
    public QueueThroughputCase batched(final String suffix, final int runLength) {
        return new QueueThroughputCase(name + suffix, description.replaceFirst(";", ", putAll/takeInto runs of "
            + runLength + ";"), records, messageBytes, producers, consumers, capacity, perMegabyte, targetRatio, limit,
            runLength, inPlace, endToEndCount, peerArgs);
    }

    /**
     * @param suffix    appended to the name.
     * @param runLength 1 for {@link Queue#putInPlace} and {@link Queue#takeInPlace}; more for
     *                  {@link Queue#putRunInPlace} runs of that length and {@link Queue#takeRunInPlace} runs of up
     *                  to it.
     * @param slots     the queue's capacity for this variant.
     * @return this byte-array case through the zero-copy operations, same peer: the producer copies a prepared
     *         array into each claimed slot, the consumer reads every message where it lies and sums all its longs.
     */
    public QueueThroughputCase inPlace(final String suffix, final int runLength, final int slots) {
        final double inPlaceTarget = perMegabyte ? 5 : 40;
        if (records) {
            throw new IllegalStateException("the in-place variant carries raw bytes, not records: case " + name);
        }
        final String operations = runLength == 1 ? "putInPlace/takeInPlace" : "putRunInPlace/takeRunInPlace runs of "
            + runLength;
        return new QueueThroughputCase(name + suffix, description.replaceFirst("Queue<byte\\[\\]>",
            "Queue<byte[]> in place (" + operations + ", consumer sums every long),").replace("capacity " + capacity,
            "capacity " + slots), false, messageBytes, producers, consumers, slots, perMegabyte, inPlaceTarget, limit,
            runLength, true, endToEndCount, peerArgs);
    }

    /**
     * @param suffix appended to the name.
     * @param count  messages per run, in all.
     * @return this case timed end to end: the producers put {@code count} messages in all, the consumers take them,
     *         and the run is timed from the first put to the last take (JIT warm-up and the children's first
     *         operations included, as the Python peers are timed), all processes having first met at a barrier
     *         as the peer's do, same peer.
     */
    public QueueThroughputCase endToEnd(final String suffix, final long count) {
        if (count % producers != 0 || count % consumers != 0) {
            throw new IllegalArgumentException("count must divide among " + producers + " producers and " + consumers
                + " consumers: count=" + count);
        }
        return new QueueThroughputCase(name + suffix, description.replaceFirst(";", ", end to end: first put to last"
            + " take of " + count + " messages;"), records, messageBytes, producers, consumers, capacity, perMegabyte,
            targetRatio, limit, batch, inPlace, count, peerArgs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String unit() {
        return perMegabyte ? "MB/s" : "msgs/s";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double targetRatio() {
        return targetRatio;
    }

    @Override
    public Limit limit() {
        return limit;
    }

    @Override
    public double runForklift() throws Exception {
        if (endToEndCount > 0) {
            return runEndToEnd();
        }
        try (Queue<?> queue = newQueue()) {
            final List<ChildProcessBuilder> builders = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                builders.add(ChildJvms.child(inPlace ? InPlaceTasks.SummingConsumer.class
                    : QueueTasks.CountingConsumer.class, "consumer", queue, batch));
            }
            for (int i = 0; i < producers; i++) {
                if (records) {
                    builders.add(ChildJvms.child(QueueTasks.ReadingProducer.class, "producer", queue));
                } else {
                    builders.add(ChildJvms.child(inPlace ? InPlaceTasks.CopyingProducer.class
                        : QueueTasks.BytesProducer.class, "producer", queue, messageBytes, batch));
                }
            }
            final List<ChildProcess> children = ChildProcessBuilder.startAll(builders);
            final List<ChildProcess> takers = children.subList(0, consumers);
            try {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!takers.stream().allMatch(c -> c.itemsDone() > 0)) {
                    if (System.nanoTime() > deadline || children.stream().anyMatch(c -> !c.isAlive())) {
                        throw new IllegalStateException("consumers took nothing: " + children);
                    }
                    Thread.sleep(5);
                }
                Thread.sleep(WARMUP_MS);
                final PlacementSampler placement = inPlace && producers == 1 && consumers == 1
                    ? PlacementSampler.of(children.get(1).pid(), children.get(0).pid()) : null;
                final long t0 = System.nanoTime();
                final long c0 = itemsDone(takers);
                sleepSampling(placement, t0);
                final long c1 = itemsDone(takers);
                final long t1 = System.nanoTime();
                queue.close();
                ChildJvms.joinAll(children);
                final double msgsPerSecond = (c1 - c0) * 1e9 / (t1 - t0);
                final double result = perMegabyte ? msgsPerSecond * messageBytes / 1e6 : msgsPerSecond;
                if (placement != null) {
                    sameCpuShares.add(placement.sameCpuShare());
                }
                if (inPlace) {
                    forkliftRuns.add(result);
                    final double pair = InPlacePair.messagesPerSecond(messageBytes, capacity, batch);
                    pairRuns.add(perMegabyte ? pair * messageBytes / 1e6 : pair);
                }
                return result;
            } finally {
                ChildJvms.closeAll(children);
            }
        }
    }

    private double runEndToEnd() throws Exception {
        final int kind = records ? EndToEndTasks.RECORDS : inPlace ? EndToEndTasks.IN_PLACE : EndToEndTasks.BYTES;
        try (Queue<?> queue = newQueue();
             Queue<String> times = Queue.builder(String.class).name("bench-" + name + "-times")
                 .capacity(producers + consumers).maxMessageBytes(64).build();
             SharedBarrier start = SharedBarrier.create(producers + consumers + 1)) {
            final List<ChildProcessBuilder> builders = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                builders.add(ChildJvms.child(EndToEndTasks.Consumer.class, "consumer", queue, times, batch, kind,
                    endToEndCount / consumers, start));
            }
            for (int i = 0; i < producers; i++) {
                builders.add(ChildJvms.child(EndToEndTasks.Producer.class, "producer", queue, times, messageBytes,
                    batch, kind, endToEndCount / producers, start));
            }
            final List<ChildProcess> children = ChildProcessBuilder.startAll(builders);
            try {
                start.await(120, TimeUnit.SECONDS); // every process is up, as with the peer's barrier
                final List<String> lines = new ArrayList<>();
                while (lines.size() < producers + consumers) {
                    final String line = times.poll(120, TimeUnit.SECONDS);
                    if (line == null) {
                        throw new IllegalStateException("no end-to-end times within 120 s: " + children);
                    }
                    lines.add(line);
                }
                ChildJvms.joinAll(children);
                final double msgsPerSecond = endToEndCount * 1e9 / EndToEndTasks.elapsedNs(lines);
                return perMegabyte ? msgsPerSecond * messageBytes / 1e6 : msgsPerSecond;
            } finally {
                ChildJvms.closeAll(children);
            }
        }
    }

    /**
     * @return for the zero-copy variants, the in-process reference measured right after each Forklift run: the
     *         same queue and work between two threads of one JVM ({@link InPlacePair}).
     */
    @Override
    public String notes() {
        if (!inPlace || endToEndCount > 0 || !pairRuns.hasValues()) {
            return "";
        }
        return "same work between 2 threads of one JVM, after each run: " + pairRuns.summary() + " " + unit()
            + "; Forklift at " + Format.percent(forkliftRuns.median() / pairRuns.median()) + " of it"
            + placementNote();
    }

    /**
     * @return for each run, how often producer and consumer were last on the same CPU: the in-place cases' fast
     *         mode (docs/benchmarks.md, "Q1KZ and Q64KZ: the two modes"); empty without samples.
     */
    private String placementNote() {
        final StringBuilder note = new StringBuilder();
        for (final double share : sameCpuShares) {
            if (!Double.isNaN(share)) {
                note.append(note.length() == 0 ? "; producer and consumer on one CPU in " : ", ")
                    .append(Format.percent(share));
            }
        }
        return note.length() == 0 ? "" : note.append(" of samples (per run, in order)").toString();
    }

    /** Sleeps the measuring time from {@code startNs}, sampling the placement every 20 ms if there is a sampler. */
    private static void sleepSampling(final PlacementSampler placement, final long startNs)
        throws InterruptedException {
        if (placement == null) {
            Thread.sleep(MEASURE_MS);
            return;
        }
        final long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(MEASURE_MS);
        long leftNs;
        while ((leftNs = endNs - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(leftNs))));
            placement.sample();
        }
    }

    @Override
    public double runPeer() throws Exception {
        final Map<String, String> result = PythonPeer.run("mp_peers.py", 120, peerArgs);
        return Double.parseDouble(result.get(perMegabyte ? "mb_per_s" : "msgs_per_s"));
    }

    private Queue<?> newQueue() {
        if (records) {
            return Queue.builder(Reading.class).name("bench-" + name).capacity(capacity).maxMessageBytes(1024).build();
        }
        return Queue.builder(byte[].class).name("bench-" + name).capacity(capacity).maxMessageBytes(messageBytes)
            .build();
    }

    private static long itemsDone(final List<ChildProcess> children) {
        long sum = 0;
        for (final ChildProcess child : children) {
            sum += child.itemsDone();
        }
        return sum;
    }
}
