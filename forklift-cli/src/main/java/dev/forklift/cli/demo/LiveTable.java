package dev.forklift.cli.demo;

import dev.forklift.cli.OsProcessInfo;
import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the table of this job's processes (the parent and its children) from the shared-memory status board,
 * with what the operating system says of each. On a terminal it redraws in place; otherwise it prints plain
 * blocks, at most one per second.
 */
final class LiveTable {
    private static final String HEADER = String.format("%-8s %-8s %-10s %-12s %-11s %12s %9s %8s",
        "PID", "PPID", "ROLE", "NAME", "STATE", "ITEMS", "CPU", "RSS");
    private static final long PLAIN_INTERVAL_MS = 1_000;

    private final PrintWriter out;
    private final boolean terminal;
    private final java.util.Set<Long> childPids;
    private int linesDrawn;
    private long lastPlainMs;

    /**
     * @param out       where to draw.
     * @param terminal  true to redraw in place.
     * @param childPids the children of this job; the parent's board may also list children of earlier jobs.
     */
    LiveTable(final PrintWriter out, final boolean terminal, final java.util.Set<Long> childPids) {
        this.out = out;
        this.terminal = terminal;
        this.childPids = childPids;
    }

    /**
     * Draws the current table.
     *
     * @param footer a line below the table (queue depth and so on).
     * @param force  draw even if a plain block was printed less than a second ago.
     */
    void draw(final String footer, final boolean force) {
        final long nowMs = System.currentTimeMillis();
        if (!terminal && !force && nowMs - lastPlainMs < PLAIN_INTERVAL_MS) {
            return;
        }
        lastPlainMs = nowMs;
        final List<String> lines = render(footer, childPids);
        if (terminal && linesDrawn > 0) {
            out.print("\033[" + linesDrawn + "A\033[J");
        }
        lines.forEach(out::println);
        if (!terminal) {
            out.println();
        }
        out.flush();
        linesDrawn = lines.size();
    }

    static List<String> render(final String footer, final java.util.Set<Long> childPids) {
        final long self = ProcessHandle.current().pid();
        final List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        for (final ProcessRow row : ProcessTable.snapshot()) {
            if (row.boardOwnerPid() != self || row.pid() != self && !childPids.contains(row.pid())) {
                continue;
            }
            final long osParent = ProcessHandle.of(row.pid()).flatMap(ProcessHandle::parent)
                .map(ProcessHandle::pid).orElse(row.parentPid());
            lines.add(String.format("%-8d %-8d %-10s %-12s %-11s %,12d %9s %8s", row.pid(), osParent,
                row.role(), row.name(), row.alive() ? row.state() : "exited", row.itemsDone(),
                OsProcessInfo.cpuTime(row.pid()).map(LiveTable::seconds).orElse("-"),
                OsProcessInfo.residentBytes(row.pid()).map(b -> b / (1024 * 1024) + "M").orElse("-")));
        }
        lines.add(footer);
        return lines;
    }

    private static String seconds(final Duration cpu) {
        return String.format("%.1fs", cpu.toMillis() / 1000.0);
    }
}
