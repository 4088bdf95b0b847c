package dev.forklift.pool.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pool's workers as the master sees them: those it runs, in start order, and the questions the master asks
 * about them (which one gets the next frame, how many are active, which are silent, which are due for a
 * resident-set check). Internal; not API.
 *
 * <p>Threads: every method is called with the pool's lock held, except {@link #byId} (the collector routes result
 * frames with it before taking the lock) and {@link #killAllNow()} (the JVM's shutdown hook), which are lock-free.
 * Nothing blocks.
 */
final class WorkerRoster {
    /** A worker whose heartbeat stopped changing, and for how long it has not. */
    record Silent(WorkerState worker, long silentMs) {
    }

    private final Map<Integer, WorkerState> workers = new LinkedHashMap<>();
    /** The same workers, readable without the lock. */
    private final Map<Integer, WorkerState> byId = new ConcurrentHashMap<>();
    private final HeartbeatMonitor heartbeats;
    private final long maxRssBytes;
    /** Workers that finished a task since their resident set was last checked. */
    private final Set<WorkerState> rssDue = new LinkedHashSet<>();

    /**
     * @param heartbeatTimeoutMs how long a heartbeat may stay unchanged; positive.
     * @param maxRssBytes        the resident-set limit, 0 for none.
     */
    WorkerRoster(final long heartbeatTimeoutMs, final long maxRssBytes) {
        this.heartbeats = new HeartbeatMonitor(heartbeatTimeoutMs);
        this.maxRssBytes = maxRssBytes;
    }

    /**
     * Takes newly started workers in.
     *
     * @param specs    what they were started from.
     * @param channels their channels, in the same order.
     * @return their states, in order.
     */
    List<WorkerState> adopt(final List<WorkerTransport.WorkerSpec> specs, final List<WorkerChannel> channels) {
        final List<WorkerState> adopted = new ArrayList<>();
        final long nowNs = System.nanoTime();
        for (int i = 0; i < channels.size(); i++) {
            final WorkerState worker = new WorkerState(specs.get(i).workerId(), channels.get(i));
            workers.put(worker.id, worker);
            byId.put(worker.id, worker);
            heartbeats.watch(worker, nowNs);
            adopted.add(worker);
        }
        return adopted;
    }

    /** @param worker a worker whose death has been handled: forgotten. */
    void remove(final WorkerState worker) {
        workers.remove(worker.id);
        byId.remove(worker.id);
        rssDue.remove(worker);
    }

    /**
     * Lock-free.
     *
     * @param workerId a worker id from a result frame.
     * @return the worker, or null when its death was already handled.
     */
    WorkerState byId(final int workerId) {
        return byId.get(workerId);
    }

    /** @return the workers, in start order: a live view, to iterate under the lock only. */
    Collection<WorkerState> all() {
        return workers.values();
    }

    /** @return true when the pool has no worker at all. */
    boolean isEmpty() {
        return workers.isEmpty();
    }

    /**
     * @param maxFrames the most frames in flight per worker.
     * @return the worker with room and the fewest unfinished tasks, or null when none has room.
     */
    WorkerState pick(final int maxFrames) {
        WorkerState best = null;
        for (final WorkerState worker : workers.values()) {
            if (worker.acceptsWork(maxFrames) && (best == null || worker.jobs.size() < best.jobs.size())) {
                best = worker;
            }
        }
        return best;
    }

    /**
     * @param maxFrames the most frames in flight per worker.
     * @return how many workers have room, at least 1 (a divisor).
     */
    int countEligible(final int maxFrames) {
        int count = 0;
        for (final WorkerState worker : workers.values()) {
            if (worker.acceptsWork(maxFrames)) {
                count++;
            }
        }
        return Math.max(1, count);
    }

    /** @return workers that run and will take more work (not retiring, not being killed). */
    int countActive() {
        int active = 0;
        for (final WorkerState worker : workers.values()) {
            if (!worker.exited && !worker.retiring && !worker.killedByPool && worker.unresponsive == null) {
                active++;
            }
        }
        return active;
    }

    /** @return the pids of the workers whose exit has not been seen. */
    List<Long> livePids() {
        final List<Long> pids = new ArrayList<>();
        for (final WorkerState worker : workers.values()) {
            if (!worker.exited) {
                pids.add(worker.channel.pid());
            }
        }
        return pids;
    }

    /**
     * Reads every running worker's heartbeat (at most every {@value HeartbeatMonitor#CHECK_INTERVAL_MS} ms).
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return the running workers silent for longer than the heartbeat timeout, not yet marked unresponsive.
     */
    List<Silent> findSilent(final long nowNs) {
        if (!heartbeats.due(nowNs)) {
            return List.of();
        }
        List<Silent> silent = List.of();
        for (final WorkerState worker : workers.values()) {
            if (worker.exited || worker.killedByPool || worker.unresponsive != null) {
                continue;
            }
            final long silentMs = heartbeats.staleForMs(worker, nowNs);
            // A worker that already ended is silent too; the pool learns of its exit a little later (the child's
            // outcome and output are collected first) and handles it as the exit it is.
            if (silentMs >= 0 && ProcessHandle.of(worker.channel.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                if (silent.isEmpty()) {
                    silent = new ArrayList<>();
                }
                silent.add(new Silent(worker, silentMs));
            }
        }
        return silent;
    }

    /** @param worker a worker that just finished a task: due for a resident-set check when there is a limit. */
    void taskFinished(final WorkerState worker) {
        if (maxRssBytes > 0 && !worker.retiring && !worker.exited) {
            rssDue.add(worker);
        }
    }

    /** @return the workers due for a resident-set check, now no longer due. */
    List<WorkerState> takeRssDue() {
        if (rssDue.isEmpty()) {
            return List.of();
        }
        final List<WorkerState> due = new ArrayList<>(rssDue);
        rssDue.clear();
        return due;
    }

    /**
     * Reads the worker's resident set; call without the pool's lock (it reads a file of {@code /proc}).
     *
     * @param worker a worker.
     * @return true when its resident set is above the limit.
     */
    boolean overRssLimit(final WorkerState worker) {
        return maxRssBytes > 0 && RssReader.residentBytes(worker.channel.pid()) > maxRssBytes;
    }

    /** Kills every worker not known to have exited, at once. Lock-free, for the JVM's shutdown hook. */
    void killAllNow() {
        for (final WorkerState worker : byId.values()) {
            if (!worker.exited) {
                worker.channel.killNow();
            }
        }
    }
}
