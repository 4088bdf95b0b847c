package dev.forklift.cli.cluster;

import dev.forklift.cli.ColumnTable;
import dev.forklift.cluster.ClusterStatus;
import dev.forklift.cluster.HostStatus;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** The table of {@code forklift ps --broker}: worker hosts with their workers, then the cluster's queues. */
public final class ClusterPs {
    private ClusterPs() {
    }

    /**
     * @param out    where to print.
     * @param status what the broker said.
     */
    public static void print(final PrintWriter out, final ClusterStatus status) {
        out.printf(Locale.ROOT, "WORKER HOSTS (%d)%n", status.hosts().size());
        final ColumnTable hosts = new ColumnTable("HOST", "PID", "WORKERS", "DONE", "HELD", "WORKER PIDS")
            .alignRight(1, 2, 3, 4);
        for (final HostStatus host : status.hosts()) {
            hosts.add(host.host(), host.pid(), host.workers(), String.format(Locale.ROOT, "%,d", host.tasksDone()),
                host.tasksHeld(), host.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
        hosts.print(out, "  ");
        out.printf(Locale.ROOT, "QUEUES (%d)%n", status.queues().size());
        final ColumnTable queues = new ColumnTable("NAME", "MESSAGES", "CONSUMERS").alignRight(1, 2);
        for (final ClusterStatus.QueueStatus queue : status.queues()) {
            queues.add(queue.name(), String.format(Locale.ROOT, "%,d", queue.messages()), queue.consumers());
        }
        queues.print(out, "  ");
    }
}
