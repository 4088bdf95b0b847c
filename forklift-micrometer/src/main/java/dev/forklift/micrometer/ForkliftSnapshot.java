package dev.forklift.micrometer;

import dev.forklift.pool.PoolInspector;
import dev.forklift.queue.QueueInspector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * One read of the boards, summed per meter name: pools by name, queues by their stable name (the serial number of
 * the file dropped and a worker's number folded: {@code pool-worker-3-tasks} counts as {@code pool-worker-tasks}), so
 * that no tag value grows without bound. Immutable.
 */
final class ForkliftSnapshot {
    private static final Pattern SERIAL = Pattern.compile("^\\d+-");
    private static final Pattern WORKER_NUMBER = Pattern.compile("-worker-\\d+(?=-|$)");

    static final ForkliftSnapshot EMPTY = new ForkliftSnapshot(Map.of(), Map.of());

    /** Pool counters by pool name, then counter name. */
    final Map<String, Map<String, Long>> pools;
    /** Queue values by stable queue name: size, capacity, puts, takes, torn, abandoned, aborted. */
    final Map<String, long[]> queues;

    private ForkliftSnapshot(final Map<String, Map<String, Long>> pools, final Map<String, long[]> queues) {
        this.pools = pools;
        this.queues = queues;
    }

    static ForkliftSnapshot read(final LongPredicate ownerFilter) {
        final Map<String, Map<String, Long>> pools = new HashMap<>();
        for (final PoolInspector.PoolInfo pool : PoolInspector.snapshot()) {
            if (!ownerFilter.test(pool.ownerPid())) {
                continue;
            }
            final Map<String, Long> sums = pools.computeIfAbsent(pool.name(), name -> new HashMap<>());
            pool.counters().forEach((name, value) -> sums.merge(name, value, Long::sum));
        }
        final Map<String, long[]> queues = new HashMap<>();
        for (final QueueInspector.QueueInfo queue : QueueInspector.snapshot()) {
            if (!ownerFilter.test(queue.ownerPid())) {
                continue;
            }
            final long[] sums = queues.computeIfAbsent(stableQueueName(queue.name()), name -> new long[7]);
            final long[] values = {queue.size(), queue.capacity(), queue.puts(), queue.takes(), queue.torn(),
                queue.abandoned(), queue.aborted()};
            for (int i = 0; i < values.length; i++) {
                sums[i] += values[i];
            }
        }
        return new ForkliftSnapshot(pools, queues);
    }

    /**
     * @param inspectorName a queue's name as {@link QueueInspector} gives it ({@code <serial>-<name>}).
     * @return the name without its serial and with a worker's number folded.
     */
    static String stableQueueName(final String inspectorName) {
        return WORKER_NUMBER.matcher(SERIAL.matcher(inspectorName).replaceFirst("")).replaceAll("-worker");
    }

    long pool(final String pool, final String counter) {
        final Map<String, Long> counters = pools.get(pool);
        return counters == null ? 0 : counters.getOrDefault(counter, 0L);
    }

    long queue(final String queue, final int index) {
        final long[] values = queues.get(queue);
        return values == null ? 0 : values[index];
    }

    static List<String> queueValueNames() {
        return List.of("size", "capacity", "put", "take", "torn", "abandoned", "aborted");
    }
}
