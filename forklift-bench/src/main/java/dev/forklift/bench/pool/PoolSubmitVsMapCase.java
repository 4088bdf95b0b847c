package dev.forklift.bench.pool;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.PythonPeer;

/**
 * The same Forklift {@code submit}-per-task measurement as {@link PoolSubmitCase}, against Python's
 * {@code Pool(2).map} with chunksize 1 (target: at least 4x).
 */
public final class PoolSubmitVsMapCase extends DescribedCase {
    private final PoolSubmitCase submit = new PoolSubmitCase();

    /** The case with its fixed description and target. */
    public PoolSubmitVsMapCase() {
        super("P-submit-map1",
            "pool of 2: submit(x -> x + 1) per task, 200k tasks vs Pool(2).map(chunksize=1)",
            "tasks/s", true, 4.0);
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
