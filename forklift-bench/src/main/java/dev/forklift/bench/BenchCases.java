package dev.forklift.bench;

import dev.forklift.bench.observe.DashboardCostCase;
import dev.forklift.bench.pool.PoolBenchMain;
import dev.forklift.bench.queue.IdleCase;
import dev.forklift.bench.queue.QueueThroughputCase;
import dev.forklift.bench.queue.RoundTripCase;
import dev.forklift.bench.wordcount.WordCountCommandCase;
import dev.forklift.bench.startup.CommandCase;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registry of {@code ./forklift bench}: every case, in table order. Add a case to {@link #BUILT_IN}, or
 * ship it from another module as a {@link BenchCase} service ({@code META-INF/services/dev.forklift.bench.BenchCase}),
 * which is appended after the built-in ones.
 */
public final class BenchCases {
    private static final List<BenchCase> BUILT_IN = new ArrayList<>(List.of(
        QueueThroughputCase.q16(),
        QueueThroughputCase.q16().endToEnd("E", 4_000_000),
        QueueThroughputCase.q16().batched("B", 32),
        QueueThroughputCase.q1k(),
        QueueThroughputCase.q1k().endToEnd("E", 1_000_000),
        QueueThroughputCase.q1k().batched("B", 32),
        QueueThroughputCase.q1k().inPlace("Z", 1, 4096),
        QueueThroughputCase.q1k().inPlace("Z", 1, 4096).endToEnd("E", 2_000_000),
        QueueThroughputCase.q1k().inPlace("ZB", 32, 4096),
        QueueThroughputCase.q64k(),
        QueueThroughputCase.q64k().endToEnd("E", 40_000),
        QueueThroughputCase.q64k().inPlace("Z", 1, 16),
        QueueThroughputCase.q64k().inPlace("Z", 1, 16).endToEnd("E", 100_000),
        QueueThroughputCase.qmpmc(),
        QueueThroughputCase.qmpmc().endToEnd("E", 1_000_000),
        QueueThroughputCase.qmpmc().batched("B", 32),
        QueueThroughputCase.qobj(),
        QueueThroughputCase.qobj().endToEnd("E", 2_000_000),
        new RoundTripCase(),
        new IdleCase()));

    static {
        BUILT_IN.addAll(PoolBenchMain.cases());
        BUILT_IN.addAll(WordCountCommandCase.all());
        // Shared state and synchronization (issue 13): values, pipes, locks, barrier, event, map.
        BUILT_IN.add(new dev.forklift.bench.state.SharedLongAddCase());
        BUILT_IN.add(new dev.forklift.bench.state.PipeRoundTripCase());
        BUILT_IN.addAll(dev.forklift.bench.sync.SyncCase.cases());
        BUILT_IN.add(DashboardCostCase.q16());
        BUILT_IN.add(DashboardCostCase.poolSubmit());
        BUILT_IN.addAll(List.of(CommandCase.help(), CommandCase.run(false), CommandCase.run(true),
            CommandCase.wordCount()));
    }

    private BenchCases() {
    }

    /** @return every case: the built-in ones, then those found as services. */
    public static List<BenchCase> all() {
        final List<BenchCase> cases = new ArrayList<>(BUILT_IN);
        for (final BenchCase extra : ServiceLoader.load(BenchCase.class)) {
            cases.add(extra);
        }
        return cases;
    }
}
