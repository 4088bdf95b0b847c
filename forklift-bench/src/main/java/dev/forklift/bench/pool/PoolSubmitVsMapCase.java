package dev.forklift.bench.pool;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.PythonPeer;

/**
 * The same Forklift {@code submit}-per-task measurement as {@link PoolSubmitCase}, against Python's
 * {@code Pool(2).map} with chunksize 1 (target: at least 4x).
 */
public final class PoolSubmitVsMapCase implements BenchCase {
    private final PoolSubmitCase submit = new PoolSubmitCase();

    @Override
    public String name() {
        return "P-submit-map1";
    }

    @Override
    public String description() {
        return "pool of 2: submit(x -> x + 1) per task, 200k tasks vs Pool(2).map(chunksize=1)";
    }

    @Override
    public String unit() {
        return "tasks/s";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double targetRatio() {
        return 4.0;
    }

    @Override
    public double runForklift() throws Exception {
        return submit.runForklift();
    }

    @Override
    public double runPeer() throws Exception {
        return Double.parseDouble(PythonPeer.run("pool_map.py", 600, Integer.toString(PoolSubmitCase.TASKS), "1")
            .get("tasks_per_s"));
    }
}
