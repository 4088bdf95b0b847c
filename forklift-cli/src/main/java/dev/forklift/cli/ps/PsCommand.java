package dev.forklift.cli.ps;

import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.OsProcessInfo;
import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;
import dev.forklift.queue.QueueInspector;
import dev.forklift.queue.QueueInspector.QueueInfo;
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
 * ({@link QueueInspector}) for queue depth. A job is a process that started children (it owns a board); its
 * queues are those it created. Never blocks, never attaches to a queue.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
    description = "List running Forklift jobs, their processes and queue depths.")
public final class PsCommand implements Callable<Integer> {
    private static final String FORMAT = "  %-8s %-8s %-10s %-26s %-10s %12s %8s %7s %6s%n";

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
        if (jobs.isEmpty()) {
            out.println("no running Forklift jobs");
            out.flush();
            return ExitCodes.OK;
        }
        for (final Map.Entry<Long, List<ProcessRow>> job : jobs.entrySet()) {
            printJob(out, job.getKey(), job.getValue(), queues, selfRows);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void printJob(final PrintWriter out, final long owner, final List<ProcessRow> rows,
        final List<QueueInfo> queues, final Map<Long, ProcessRow> selfRows) {
        // A job parent that is itself a Forklift child updates its row on its parent's board: prefer that one.
        final ProcessRow head = selfRows.getOrDefault(owner,
            rows.stream().filter(r -> r.pid() == owner).findFirst().orElse(rows.get(0)));
        out.printf(Locale.ROOT, "JOB %s (pid %d), up %s%n", head.role(), owner,
            age(System.currentTimeMillis() - head.startEpochMs()));
        out.printf(Locale.ROOT, FORMAT, "PID", "PPID", "ROLE", "NAME", "STATE", "ITEMS", "CPU", "RSS", "BEAT");
        for (final ProcessRow listed : rows) {
            final ProcessRow row = listed.pid() == owner ? head : listed;
            if (!row.alive() && !all) {
                continue;
            }
            out.printf(Locale.ROOT, FORMAT, row.pid(), row.parentPid(), row.role(), row.name(),
                row.alive() ? row.state() : "exited", String.format(Locale.ROOT, "%,d", row.itemsDone()),
                OsProcessInfo.cpuTime(row.pid()).map(d -> String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1e3))
                    .orElse("-"),
                OsProcessInfo.residentBytes(row.pid()).map(b -> b / (1024 * 1024) + "M").orElse("-"),
                row.alive() ? row.heartbeatAgeMs() + "ms" : "-");
        }
        final List<String> depths = new ArrayList<>();
        for (final QueueInfo queue : queues) {
            if (queue.ownerPid() == owner) {
                depths.add(String.format(Locale.ROOT, "%s %d/%d%s", queue.name(), queue.size(), queue.capacity(),
                    queue.closed() ? " (closed)" : ""));
            }
        }
        out.println("  QUEUES " + (depths.isEmpty() ? "none" : String.join(", ", depths)));
        out.println();
    }

    private static String age(final long ms) {
        final Duration d = Duration.ofMillis(Math.max(0, ms));
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m"
            : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }
}
