package dev.forklift.bench.pool;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.PythonPeer;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code map} of a trivial function over 1M integers with automatic chunking on a warm pool of 2 workers, against
 * Python's {@code Pool(2).map} with its default chunk size (target: at least as fast).
 */
public final class PoolMapCase extends DescribedCase {
    static final int INPUTS = 1_000_000;
    private final List<Integer> inputs = IntStream.range(0, INPUTS).boxed().collect(Collectors.toList());

    /** The case with its fixed description and target. */
    public PoolMapCase() {
        super("P-map",
            "pool of 2: map(x -> x + 1) over 1M ints, automatic chunks vs Pool(2).map default chunksize",
            "tasks/s", true, 1.0);
    }

    @Override
    public double runForklift() throws Exception {
        final long start = System.nanoTime();
        final List<Integer> results = SharedBenchPool.get().map(PoolFunctions.INC, inputs);
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (results.size() != INPUTS || results.get(INPUTS - 1) != INPUTS) {
            throw new IllegalStateException("wrong results");
        }
        return INPUTS / seconds;
    }

    @Override
    public double runPeer() throws Exception {
        return Double.parseDouble(PythonPeer.run("pool_map.py", 600, Integer.toString(INPUTS), "0")
            .get("tasks_per_s"));
    }
}
