package dev.forklift.cli.cluster;

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
        out.printf(Locale.ROOT, "  %-24s %8s %8s %10s %6s  %s%n", "HOST", "PID", "WORKERS", "DONE", "HELD",
            "WORKER PIDS");
        for (final HostStatus host : status.hosts()) {
            out.printf(Locale.ROOT, "  %-24s %8d %8d %,10d %6d  %s%n", host.host(), host.pid(), host.workers(),
                host.tasksDone(), host.tasksHeld(),
                host.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
        out.printf(Locale.ROOT, "QUEUES (%d)%n", status.queues().size());
        out.printf(Locale.ROOT, "  %-48s %10s %10s%n", "NAME", "MESSAGES", "CONSUMERS");
        for (final ClusterStatus.QueueStatus queue : status.queues()) {
            out.printf(Locale.ROOT, "  %-48s %,10d %10d%n", queue.name(), queue.messages(), queue.consumers());
        }
    }
}
