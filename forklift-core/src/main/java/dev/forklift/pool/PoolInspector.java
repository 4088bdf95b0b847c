package dev.forklift.pool;

import dev.forklift.process.internal.CounterBoards;
import dev.forklift.shm.SharedMemoryDirectory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Reads the counters of every live pool of the current user, from any process (a {@code forklift dashboard}, a
 * metrics scrape), without touching the pools: each pool's parent copies its totals into its counter board every
 * 250 ms, and this reads the boards. Never blocks; a pool closed meanwhile is left out.
 *
 * <p>Counter names ({@link #COUNTERS}); inputs count one each, a task is a chunk of inputs:
 * <ul>
 *   <li>{@code submitted}: inputs submitted; {@code completed.success|failed|timeout|crashed}: inputs with an
 *       outcome, by outcome ({@code failed}: the task threw);</li>
 *   <li>{@code retried.crash|timeout|exception}: attempts started again, by reason;</li>
 *   <li>{@code active}, {@code queued}: tasks running in workers and waiting for one (gauges);
 *       {@code workers.live} (gauge);</li>
 *   <li>{@code worker.starts}; {@code worker.exits.retired|stopped|crash|heartbeat|timeout}: worker exits by
 *       cause (heartbeat: killed as silent; timeout: killed for a task over its timeout);</li>
 *   <li>{@code tasks.completed}; {@code task.count}, {@code task.nanos}: completed tasks and their total time from
 *       dispatch to the last result; {@code late.discarded}; {@code memory.recycles};
 *       {@code respawn.delay.ms} (gauge).</li>
 * </ul>
 */
public final class PoolInspector {
    /** The counter names, in the order the pool writes them. */
    public static final List<String> COUNTERS = List.of("submitted", "completed.success", "completed.failed",
        "completed.timeout", "completed.crashed", "retried.crash", "retried.timeout", "retried.exception", "active",
        "queued", "workers.live", "worker.starts", "worker.exits.retired", "worker.exits.stopped",
        "worker.exits.crash", "worker.exits.heartbeat", "worker.exits.timeout", "tasks.completed", "task.count",
        "task.nanos", "late.discarded", "memory.recycles", "respawn.delay.ms");

    private PoolInspector() {
    }

    /**
     * One pool's counters, as last flushed by its parent (at most about 250 ms old).
     *
     * @param name     the pool's name.
     * @param ownerPid the pool's parent process.
     * @param counters the counters by name ({@link #COUNTERS}).
     */
    public record PoolInfo(String name, long ownerPid, Map<String, Long> counters) {
        /**
         * @param counterName one of {@link #COUNTERS}.
         * @return its value, 0 when absent.
         */
        public long counter(final String counterName) {
            return counters.getOrDefault(counterName, 0L);
        }
    }

    /** @return every live pool of the current user, by owner pid then name. */
    public static List<PoolInfo> snapshot() {
        return snapshot(SharedMemoryDirectory.current());
    }

    /**
     * @param directory the shared-memory directory.
     * @return every live pool whose counters are in it, by owner pid then name.
     */
    public static List<PoolInfo> snapshot(final SharedMemoryDirectory directory) {
        return snapshot(directory, owner -> true);
    }

    /**
     * @param directory the shared-memory directory.
     * @param ownerPids which owners' pools to read (the others' counter boards are not even opened).
     * @return every live pool of those owners whose counters are in it, by owner pid then name.
     */
    public static List<PoolInfo> snapshot(final SharedMemoryDirectory directory, final LongPredicate ownerPids) {
        final List<PoolInfo> pools = new ArrayList<>();
        for (final CounterBoards.SectionCopy section : CounterBoards.read(directory, "pool", ownerPids)) {
            pools.add(new PoolInfo(section.name(), section.ownerPid(), section.counters()));
        }
        pools.sort(Comparator.comparingLong(PoolInfo::ownerPid).thenComparing(PoolInfo::name));
        return pools;
    }
}
