package dev.forklift.cli.ps;

import dev.forklift.cli.ColumnTable;
import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.OsProcessInfo;
import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;
import dev.forklift.queue.QueueInspector;
import dev.forklift.queue.QueueInspector.QueueInfo;
import dev.forklift.sync.SharedStateInspector;
import dev.forklift.sync.SharedStateInspector.StateInfo;
import dev.forklift.sync.SyncInspector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code forklift ps}: the running Forklift jobs of the current user and their processes, read from the
 * shared-memory directory by any process: the status boards ({@link ProcessTable#snapshot()}) for pid, parent,
 * role, state, items done and heartbeat; {@code /proc} for CPU time and RSS; the queue headers
 * ({@link QueueInspector}) for queue depth; the named sync objects ({@link SyncInspector}) with their state. A job is a process that started children (it owns a board); its
 * queues are those it created. Never blocks, never attaches to a queue.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
    description = "List running Forklift jobs, their processes and queue depths, and named sync objects.")
public final class PsCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--all", description = "Also show processes that have exited but are still on a board.")
    private boolean all;

    @Option(names = "--broker", paramLabel = "URL", description = "List the worker hosts of a cluster, their "
        + "workers, and the cluster's queues, from its broker.")
    private String broker;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        if (broker != null) {
            dev.forklift.cli.cluster.ClusterPs.print(out, dev.forklift.cluster.ClusterStatus.read(broker));
            out.flush();
            return ExitCodes.OK;
        }
        final List<ProcessRow> rows = ProcessTable.snapshot();
        final List<QueueInfo> queues = QueueInspector.snapshot();
        final Map<Long, List<ProcessRow>> jobs = rows.stream()
            .collect(Collectors.groupingBy(ProcessRow::boardOwnerPid, LinkedHashMap::new, Collectors.toList()));
        final Map<Long, ProcessRow> selfRows = rows.stream().filter(r -> r.boardOwnerPid() != r.pid())
            .collect(Collectors.toMap(ProcessRow::pid, r -> r, (a, b) -> a));
        final List<StateInfo> shared = SharedStateInspector.snapshot();
        if (jobs.isEmpty()) {
            out.println("no running Forklift jobs");
        }
        for (final Map.Entry<Long, List<ProcessRow>> job : jobs.entrySet()) {
            printJob(out, job.getKey(), job.getValue(), queues, selfRows, shared);
        }
        // Shared values, arrays and segments of processes that started no children (so own no job).
        shared.stream().map(StateInfo::ownerPid).distinct().filter(pid -> !jobs.containsKey(pid))
            .forEach(pid -> printShared(out, "SHARED (pid " + pid + ") ", shared, pid));
        printSyncObjects(out);
        out.flush();
        return ExitCodes.OK;
    }

    /** The named locks, semaphores, conditions, events, barriers and maps of this user, whoever created them. */
    private static void printSyncObjects(final PrintWriter out) {
        final List<SyncInspector.SyncInfo> objects = SyncInspector.snapshot();
        if (objects.isEmpty()) {
            return;
        }
        out.println("SYNC OBJECTS");
        final ColumnTable table = new ColumnTable("KIND", "NAME", "CREATOR", "STATE");
        for (final SyncInspector.SyncInfo object : objects) {
            table.add(object.kind(), object.name(), object.creatorPid(), object.state());
        }
        table.print(out, "  ");
    }

    private void printJob(final PrintWriter out, final long owner, final List<ProcessRow> rows,
        final List<QueueInfo> queues, final Map<Long, ProcessRow> selfRows, final List<StateInfo> shared) {
        // A job parent that is itself a Forklift child updates its row on its parent's board: prefer that one.
        final ProcessRow head = selfRows.getOrDefault(owner,
            rows.stream().filter(r -> r.pid() == owner).findFirst().orElse(rows.get(0)));
        out.printf(Locale.ROOT, "JOB %s (pid %d), up %s%n", head.role(), owner,
            age(System.currentTimeMillis() - head.startEpochMs()));
        final ColumnTable table = new ColumnTable("PID", "PPID", "ROLE", "NAME", "STATE", "ITEMS", "CPU", "RSS",
            "BEAT").alignRight(5, 6, 7, 8);
        for (final ProcessRow listed : rows) {
            final ProcessRow row = listed.pid() == owner ? head : listed;
            if (!row.alive() && !all) {
                continue;
            }
            table.add(row.pid(), row.parentPid(), row.role(), row.name(),
                row.alive() ? row.state() : "exited", String.format(Locale.ROOT, "%,d", row.itemsDone()),
                OsProcessInfo.cpuTime(row.pid()).map(d -> String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1e3))
                    .orElse("-"),
                OsProcessInfo.residentBytes(row.pid()).map(b -> b / (1024 * 1024) + "M").orElse("-"),
                row.alive() ? row.heartbeatAgeMs() + "ms" : "-");
        }
        table.print(out, "  ");
        final List<String> depths = new ArrayList<>();
        for (final QueueInfo queue : queues) {
            if (queue.ownerPid() == owner) {
                depths.add(String.format(Locale.ROOT, "%s %d/%d%s", queue.name(), queue.size(), queue.capacity(),
                    queue.closed() ? " (closed)" : ""));
            }
        }
        out.println("  QUEUES " + (depths.isEmpty() ? "none" : String.join(", ", depths)));
        printShared(out, "  SHARED ", shared, owner);
        out.println();
    }

    private static void printShared(final PrintWriter out, final String prefix, final List<StateInfo> shared,
        final long owner) {
        final List<String> owned = shared.stream().filter(s -> s.ownerPid() == owner).map(StateInfo::describe)
            .collect(Collectors.toList());
        if (!owned.isEmpty()) {
            out.println(prefix + String.join(", ", owned));
        }
    }

    private static String age(final long ms) {
        final Duration d = Duration.ofMillis(Math.max(0, ms));
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m"
            : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }
}
