package dev.forklift.dashboard;

import dev.forklift.pool.PoolInspector;
import dev.forklift.queue.QueueInspector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's {@code /metrics}: the sampler's last read of the pools and queues in the Prometheus text format
 * (version 0.0.4), with the names Micrometer's Prometheus registry gives the meters of {@code forklift-micrometer}.
 * Labels are pool and queue names only (summed over processes; a queue's serial dropped and a worker's number
 * folded), never a pid, a task id or an input. With a cluster, its hosts' and broker queues' gauges follow, labelled
 * by host and queue name.
 */
final class PrometheusText {
    private PrometheusText() {
    }

    static String render(final List<PoolInspector.PoolInfo> pools, final List<QueueInspector.QueueInfo> queues,
        final ClusterView cluster) {
        final Map<String, Map<String, Long>> poolSums = new TreeMap<>();
        for (final PoolInspector.PoolInfo pool : pools) {
            final Map<String, Long> sums = poolSums.computeIfAbsent(pool.name(), n -> new LinkedHashMap<>());
            pool.counters().forEach((k, v) -> sums.merge(k, v, Long::sum));
        }
        final Map<String, long[]> queueSums = new TreeMap<>();
        for (final QueueInspector.QueueInfo queue : queues) {
            final long[] sums = queueSums.computeIfAbsent(foldWorker(Sampler.stableName(queue.name())),
                n -> new long[7]);
            final long[] values = {queue.size(), queue.capacity(), queue.puts(), queue.takes(), queue.torn(),
                queue.abandoned(), queue.aborted()};
            for (int i = 0; i < values.length; i++) {
                sums[i] += values[i];
            }
        }
        final StringBuilder out = new StringBuilder(4096);
        family(out, "forklift_pool_submitted_total", "counter", "Inputs submitted to the pool.");
        poolSums.forEach((pool, c) -> sample(out, "forklift_pool_submitted_total", "pool", pool, null, null,
            c.getOrDefault("submitted", 0L)));
        family(out, "forklift_pool_completed_total", "counter", "Inputs with an outcome, by outcome.");
        for (final String outcome : new String[] {"success", "failed", "timeout", "crashed"}) {
            poolSums.forEach((pool, c) -> sample(out, "forklift_pool_completed_total", "pool", pool, "outcome",
                outcome, c.getOrDefault("completed." + outcome, 0L)));
        }
        family(out, "forklift_pool_retried_total", "counter", "Attempts started again, by reason.");
        for (final String reason : new String[] {"crash", "timeout", "exception"}) {
            poolSums.forEach((pool, c) -> sample(out, "forklift_pool_retried_total", "pool", pool, "reason", reason,
                c.getOrDefault("retried." + reason, 0L)));
        }
        family(out, "forklift_pool_worker_starts_total", "counter", "Worker processes started.");
        poolSums.forEach((pool, c) -> sample(out, "forklift_pool_worker_starts_total", "pool", pool, null, null,
            c.getOrDefault("worker.starts", 0L)));
        family(out, "forklift_pool_worker_exits_total", "counter", "Worker processes exited, by cause.");
        for (final String cause : new String[] {"retired", "stopped", "crash", "heartbeat", "timeout"}) {
            poolSums.forEach((pool, c) -> sample(out, "forklift_pool_worker_exits_total", "pool", pool, "cause",
                cause, c.getOrDefault("worker.exits." + cause, 0L)));
        }
        gauge(out, poolSums, "forklift_pool_active", "Tasks running in workers.", "active");
        gauge(out, poolSums, "forklift_pool_queued", "Tasks waiting for a worker.", "queued");
        gauge(out, poolSums, "forklift_pool_workers", "Live worker processes.", "workers.live");
        family(out, "forklift_pool_task_duration_seconds", "summary",
            "Completed tasks, from dispatch to their last result.");
        poolSums.forEach((pool, c) -> {
            sample(out, "forklift_pool_task_duration_seconds_count", "pool", pool, null, null,
                c.getOrDefault("task.count", 0L));
            out.append("forklift_pool_task_duration_seconds_sum{pool=\"").append(escape(pool)).append("\"} ")
                .append(c.getOrDefault("task.nanos", 0L) / 1e9).append('\n');
        });
        final String[] names = {"forklift_queue_size", "forklift_queue_capacity", "forklift_queue_put_total",
            "forklift_queue_take_total"};
        final String[] types = {"gauge", "gauge", "counter", "counter"};
        final String[] helps = {"Items in the queue.", "The queue's capacity in items.",
            "Slots claimed by producers.", "Slots claimed by consumers."};
        for (int i = 0; i < names.length; i++) {
            family(out, names[i], types[i], helps[i]);
            final int index = i;
            queueSums.forEach((queue, v) -> sample(out, names[index], "queue", queue, null, null, v[index]));
        }
        family(out, "forklift_queue_repaired_total", "counter", "Queue slots repaired or aborted, by kind.");
        final String[] kinds = {"torn", "abandoned", "aborted"};
        for (int k = 0; k < kinds.length; k++) {
            final int index = 4 + k;
            final String kind = kinds[k];
            queueSums.forEach((queue, v) -> sample(out, "forklift_queue_repaired_total", "queue", queue, "kind",
                kind, v[index]));
        }
        if (cluster != null) {
            cluster(out, cluster);
        }
        return out.toString();
    }

    /** The cluster's gauges: hosts, and per host and broker queue (labels are names only, never a pid). */
    private static void cluster(final StringBuilder out, final ClusterView cluster) {
        family(out, "forklift_cluster_hosts", "gauge", "Worker hosts that reported lately.");
        out.append("forklift_cluster_hosts ").append(cluster.hosts().size()).append('\n');
        family(out, "forklift_cluster_host_workers", "gauge", "Worker JVMs of a host.");
        cluster.hosts().forEach(h -> sample(out, "forklift_cluster_host_workers", "host", h.name(), null, null,
            h.workers()));
        family(out, "forklift_cluster_host_tasks_done_total", "counter", "Tasks a host finished since it started.");
        cluster.hosts().forEach(h -> sample(out, "forklift_cluster_host_tasks_done_total", "host", h.name(), null,
            null, h.tasksDone()));
        family(out, "forklift_cluster_host_tasks_held", "gauge", "Tasks a host holds now.");
        cluster.hosts().forEach(h -> sample(out, "forklift_cluster_host_tasks_held", "host", h.name(), null, null,
            h.tasksHeld()));
        family(out, "forklift_cluster_queue_messages", "gauge", "Messages in a broker queue, unacknowledged included.");
        cluster.queues().forEach(q -> sample(out, "forklift_cluster_queue_messages", "queue", q.name(), null, null,
            q.messages()));
        family(out, "forklift_cluster_queue_consumers", "gauge", "Consumers of a broker queue.");
        cluster.queues().forEach(q -> sample(out, "forklift_cluster_queue_consumers", "queue", q.name(), null, null,
            q.consumers()));
    }

    static String foldWorker(final String name) {
        return name.replaceAll("-worker-\\d+(?=-|$)", "-worker");
    }

    private static void gauge(final StringBuilder out, final Map<String, Map<String, Long>> pools, final String name,
        final String help, final String counter) {
        family(out, name, "gauge", help);
        pools.forEach((pool, c) -> sample(out, name, "pool", pool, null, null, c.getOrDefault(counter, 0L)));
    }

    private static void family(final StringBuilder out, final String name, final String type, final String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(final StringBuilder out, final String name, final String label, final String value,
        final String label2, final String value2, final long number) {
        out.append(name).append('{').append(label).append("=\"").append(escape(value)).append('"');
        if (label2 != null) {
            out.append(',').append(label2).append("=\"").append(escape(value2)).append('"');
        }
        out.append("} ").append(number).append('\n');
    }

    private static String escape(final String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
