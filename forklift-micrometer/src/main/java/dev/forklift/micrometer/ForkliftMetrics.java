package dev.forklift.micrometer;

import dev.forklift.pool.PoolInspector;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.ToDoubleFunction;

/**
 * Forklift's pools and queues as Micrometer meters, read from the shared-memory boards when the registry is
 * scraped: the jobs' hot paths pay nothing (a pool flushes its plain counters to its board every 250 ms; a queue's
 * counters are its header). Bind it like any binder ({@code new ForkliftMetrics().bindTo(registry)}, or declare it
 * as a bean in Spring Boot).
 *
 * <p>Meters (tags in braces; no pid, task id or input is ever a tag):
 * <ul>
 *   <li>{@code forklift.pool.submitted}, {@code forklift.pool.completed{outcome=success|failed|timeout|crashed}},
 *       {@code forklift.pool.retried{reason=crash|timeout|exception}}, {@code forklift.pool.worker.starts},
 *       {@code forklift.pool.worker.exits{cause=retired|stopped|crash|heartbeat|timeout}} (function counters, tag
 *       {@code pool});</li>
 *   <li>{@code forklift.pool.active}, {@code forklift.pool.queued}, {@code forklift.pool.workers} (gauges);</li>
 *   <li>{@code forklift.pool.task.duration} (function timer: completed tasks and their time from dispatch to the
 *       last result);</li>
 *   <li>{@code forklift.queue.size}, {@code forklift.queue.capacity} (gauges), {@code forklift.queue.put},
 *       {@code forklift.queue.take}, {@code forklift.queue.repaired{kind=torn|abandoned|aborted}} (function counters),
 *       tag {@code queue}: its name without the file's serial, a worker's number folded
 *       ({@code pool-worker-tasks}), summed over the queues of that name.</li>
 * </ul>
 *
 * <p>Pools and queues that appear after {@link #bindTo} get their meters at the next scrape that reads the boards
 * (at most one read per {@code minReadIntervalMs}); the meters of those that are gone are removed then. Thread-safe;
 * a scrape maps and reads the board files, and never blocks on a job.
 */
public final class ForkliftMetrics implements MeterBinder {
    private static final long DEFAULT_MIN_READ_INTERVAL_MS = 1_000;
    private static final String[] OUTCOMES = {"success", "failed", "timeout", "crashed"};
    private static final String[] RETRY_REASONS = {"crash", "timeout", "exception"};
    private static final String[] EXIT_CAUSES = {"retired", "stopped", "crash", "heartbeat", "timeout"};

    private final LongPredicate ownerFilter;
    private final long minReadIntervalNs;
    private final Tags extraTags;
    private final Map<String, List<Meter>> poolMeters = new HashMap<>();
    private final Map<String, List<Meter>> queueMeters = new HashMap<>();
    private volatile ForkliftSnapshot snapshot = ForkliftSnapshot.EMPTY;
    private long readAtNs;
    private MeterRegistry registry;

    private ForkliftMetrics(final LongPredicate ownerFilter, final long minReadIntervalMs, final Tags extraTags) {
        this.ownerFilter = ownerFilter;
        this.minReadIntervalNs = TimeUnit.MILLISECONDS.toNanos(minReadIntervalMs);
        this.extraTags = extraTags;
    }

    /** Meters of the pools and queues created by this process. */
    public ForkliftMetrics() {
        this(owner -> owner == ProcessHandle.current().pid(), DEFAULT_MIN_READ_INTERVAL_MS, Tags.empty());
    }

    /**
     * @return meters of every pool and queue of the current user on this host (for a sidecar or an agent process);
     * pools and queues of the same name in several processes are summed.
     */
    public static ForkliftMetrics ofAllProcesses() {
        return new ForkliftMetrics(owner -> true, DEFAULT_MIN_READ_INTERVAL_MS, Tags.empty());
    }

    /**
     * @param minReadIntervalMs the least time between two reads of the boards, in ms; 0 reads at every meter
     *                          read. Not negative.
     * @return a copy with that interval.
     */
    public ForkliftMetrics minReadIntervalMs(final long minReadIntervalMs) {
        if (minReadIntervalMs < 0) {
            throw new IllegalArgumentException("minReadIntervalMs must not be negative: " + minReadIntervalMs);
        }
        return new ForkliftMetrics(ownerFilter, minReadIntervalMs, extraTags);
    }

    @Override
    public synchronized void bindTo(final MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        refresh(true);
    }

    /** Reads the boards now and adds or removes meters for pools and queues that appeared or went. */
    public void refresh() {
        refresh(true);
    }

    private synchronized ForkliftSnapshot refresh(final boolean force) {
        final long now = System.nanoTime();
        if (!force && readAtNs != 0 && now - readAtNs < minReadIntervalNs) {
            return snapshot;
        }
        readAtNs = now;
        final ForkliftSnapshot read = ForkliftSnapshot.read(ownerFilter);
        snapshot = read;
        if (registry != null) {
            sync(poolMeters, read.pools.keySet(), this::registerPool);
            sync(queueMeters, read.queues.keySet(), this::registerQueue);
        }
        return read;
    }

    private ForkliftSnapshot current() {
        return refresh(false);
    }

    private void sync(final Map<String, List<Meter>> meters, final java.util.Set<String> present,
        final java.util.function.Function<String, List<Meter>> register) {
        meters.entrySet().removeIf(entry -> {
            if (present.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            return true;
        });
        for (final String name : present) {
            meters.computeIfAbsent(name, register);
        }
    }

    private List<Meter> registerPool(final String pool) {
        final Tags tags = extraTags.and("pool", pool);
        final List<Meter> meters = new ArrayList<>();
        meters.add(poolCounter("forklift.pool.submitted", tags, "inputs submitted", pool, "submitted"));
        for (final String outcome : OUTCOMES) {
            meters.add(poolCounter("forklift.pool.completed", tags.and("outcome", outcome),
                "inputs with an outcome", pool, "completed." + outcome));
        }
        for (final String reason : RETRY_REASONS) {
            meters.add(poolCounter("forklift.pool.retried", tags.and("reason", reason),
                "attempts started again", pool, "retried." + reason));
        }
        meters.add(poolCounter("forklift.pool.worker.starts", tags, "worker processes started", pool,
            "worker.starts"));
        for (final String cause : EXIT_CAUSES) {
            meters.add(poolCounter("forklift.pool.worker.exits", tags.and("cause", cause), "worker processes exited",
                pool, "worker.exits." + cause));
        }
        meters.add(poolGauge("forklift.pool.active", tags, "tasks running in workers", pool, "active"));
        meters.add(poolGauge("forklift.pool.queued", tags, "tasks waiting for a worker", pool, "queued"));
        meters.add(poolGauge("forklift.pool.workers", tags.and("state", "live"), "live worker processes", pool,
            "workers.live"));
        meters.add(FunctionTimer.builder("forklift.pool.task.duration", this,
                m -> m.current().pool(pool, "task.count"), m -> m.current().pool(pool, "task.nanos"),
                TimeUnit.NANOSECONDS)
            .tags(tags).description("completed tasks, from dispatch to their last result").register(registry));
        return meters;
    }

    private List<Meter> registerQueue(final String queue) {
        final Tags tags = extraTags.and("queue", queue);
        final List<Meter> meters = new ArrayList<>();
        meters.add(queueGauge("forklift.queue.size", tags, "items in the queue", queue, 0));
        meters.add(queueGauge("forklift.queue.capacity", tags, "the queue's capacity in items", queue, 1));
        meters.add(queueCounter("forklift.queue.put", tags, "slots claimed by producers", queue, 2));
        meters.add(queueCounter("forklift.queue.take", tags, "slots claimed by consumers", queue, 3));
        meters.add(queueCounter("forklift.queue.repaired", tags.and("kind", "torn"),
            "slots published as torn after their producer died", queue, 4));
        meters.add(queueCounter("forklift.queue.repaired", tags.and("kind", "abandoned"),
            "slots released after their consumer died", queue, 5));
        meters.add(queueCounter("forklift.queue.repaired", tags.and("kind", "aborted"),
            "slots aborted by their producer", queue, 6));
        return meters;
    }

    private Meter poolCounter(final String name, final Tags tags, final String description, final String pool,
        final String counter) {
        return FunctionCounter.builder(name, this, m -> m.current().pool(pool, counter)).tags(tags)
            .description(description).register(registry);
    }

    private Meter poolGauge(final String name, final Tags tags, final String description, final String pool,
        final String counter) {
        final ToDoubleFunction<ForkliftMetrics> read = m -> m.current().pool(pool, counter);
        return Gauge.builder(name, this, read).tags(tags).description(description).register(registry);
    }

    private Meter queueGauge(final String name, final Tags tags, final String description, final String queue,
        final int index) {
        final ToDoubleFunction<ForkliftMetrics> read = m -> m.current().queue(queue, index);
        return Gauge.builder(name, this, read).tags(tags).description(description).register(registry);
    }

    private Meter queueCounter(final String name, final Tags tags, final String description, final String queue,
        final int index) {
        return FunctionCounter.builder(name, this, m -> m.current().queue(queue, index)).tags(tags)
            .description(description).register(registry);
    }

    /** @return the pool counter names this binder reads (for documentation and tests). */
    static List<String> poolCounterNames() {
        return PoolInspector.COUNTERS;
    }
}
