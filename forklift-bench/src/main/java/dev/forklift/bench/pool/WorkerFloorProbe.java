package dev.forklift.bench.pool;

/**
 * {@link WorkerFloor} measured {@code N} times one after the other, one line of figures in ms, for comparing with
 * {@link FirstResultProbe}'s P-start figures and Python's {@code pool_start.py} in the same minutes.
 *
 * <p>Usage: {@code java -cp forklift-bench.jar dev.forklift.bench.pool.WorkerFloorProbe N}.
 */
public final class WorkerFloorProbe {
    private WorkerFloorProbe() {
    }

    /** @param args the number of launches. @throws Exception if a launch fails. */
    public static void main(final String[] args) throws Exception {
        final WorkerFloor floor = new WorkerFloor();
        final StringBuilder line = new StringBuilder("floor");
        for (int i = 0; i < Integer.parseInt(args[0]); i++) {
            line.append(String.format(" %.1f", floor.measure()));
        }
        System.out.println(line);
    }
}
