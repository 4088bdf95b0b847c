package dev.forklift.bench.state;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.PythonPeer;
import dev.forklift.bench.queue.ChildJvms;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.sync.SharedLong;
import dev.forklift.sync.SharedLongArray;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * VALUE: two processes incrementing one shared long with its own atomic add ({@link SharedLong#getAndAdd}), total
 * adds per second from the moment both are ready to the end of the last. Peer: two processes incrementing an
 * {@code mp.Value('q')} under its lock.
 */
public final class SharedLongAddCase implements BenchCase {
    private static final int PROCESSES = 2;
    private static final int COUNT = 20_000_000;
    private static final int PEER_COUNT = 200_000;

    /**
     * Waits for the start signal, adds 1 {@code count} times, records its end time ({@link System#nanoTime()}: one
     * monotonic clock for every process of the machine).
     */
    public static final class Adder implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) {
            final SharedLong value = context.arg(0, SharedLong.class);
            final SharedLong ready = context.arg(1, SharedLong.class);
            final int count = context.arg(2, Integer.class);
            final SharedLongArray ends = context.arg(3, SharedLongArray.class);
            final int index = context.arg(4, Integer.class);
            ready.incrementAndGet();
            while (ready.get() < PROCESSES + 1) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < count; i++) {
                value.getAndAdd(1);
            }
            ends.set(index, System.nanoTime());
        }
    }

    @Override
    public String name() {
        return "VALUE";
    }

    @Override
    public String description() {
        return PROCESSES + " processes incrementing one SharedLong with getAndAdd, " + COUNT + " adds each; peer "
            + PROCESSES + " processes incrementing an mp.Value('q') under its lock, " + PEER_COUNT + " each";
    }

    @Override
    public String unit() {
        return "adds/s";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double targetRatio() {
        return 100;
    }

    @Override
    public double runForklift() throws Exception {
        final String suffix = Long.toString(System.nanoTime(), 36);
        try (SharedLong value = SharedLong.create("bench-value-" + suffix);
             SharedLong ready = SharedLong.create("bench-ready-" + suffix);
             SharedLongArray ends = SharedLongArray.create("bench-ends-" + suffix, PROCESSES)) {
            final ChildProcessBuilder[] builders = new ChildProcessBuilder[PROCESSES];
            for (int i = 0; i < PROCESSES; i++) {
                builders[i] = ChildJvms.child(Adder.class, "adder", value, ready, COUNT, ends, i);
            }
            final List<ChildProcess> children = ChildProcessBuilder.startAll(builders);
            try {
                while (ready.get() < PROCESSES) {
                    Thread.onSpinWait();
                }
                final long start = System.nanoTime();
                ready.incrementAndGet();
                for (final ChildProcess child : children) {
                    child.joinAndCheck(Duration.ofSeconds(120));
                }
                if (value.get() != (long) PROCESSES * COUNT) {
                    throw new IllegalStateException("lost adds: value=" + value.get());
                }
                final long end = java.util.Arrays.stream(ends.toArray()).max().orElseThrow();
                return PROCESSES * (double) COUNT / ((end - start) / 1e9);
            } finally {
                children.forEach(ChildProcess::close);
            }
        }
    }

    @Override
    public double runPeer() throws Exception {
        final Map<String, String> result = PythonPeer.run("mp_shared_state.py", 300, "value", "--count",
            String.valueOf(PEER_COUNT), "--processes", String.valueOf(PROCESSES));
        return Double.parseDouble(result.get("ops_per_s"));
    }
}
