package dev.forklift.bench.sync;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.PythonPeer;
import dev.forklift.bench.RoundTrips;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.sync.SharedBarrier;
import dev.forklift.sync.SharedEvent;
import dev.forklift.sync.SharedMap;
import dev.forklift.sync.SharedMutex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cases of the robust sync primitives against Python's {@code multiprocessing} (script {@code mp_sync_peers.py},
 * start method fork), each side in its own processes:
 * <ul>
 * <li>LOCK: uncontended acquire+release of a {@link SharedMutex} in one process, against {@code mp.Lock};</li>
 * <li>LOCKCNT: two processes adding 1 to a shared plain long under a {@link SharedMutex}, against two processes
 * adding to an {@code mp.Value} under its lock;</li>
 * <li>BAR2: rounds of a two-party {@link SharedBarrier} between two processes, against {@code mp.Barrier(2)};</li>
 * <li>EVENT: ping-pong over two {@link SharedEvent}s between two processes, median round trip, against two
 * {@code mp.Event}s;</li>
 * <li>MAP: two processes each putting and getting entries of a {@link SharedMap}, against a
 * {@code Manager().dict()} (set+get counted as 2 operations on both sides).</li>
 * </ul>
 */
public final class SyncCase implements BenchCase {
    private static final Duration JOIN = Duration.ofSeconds(120);
    private enum Mode { LOCK, LOCKCNT, BAR2, EVENT, MAP }

    private final Mode mode;
    private final List<Double> forkliftP99 = new ArrayList<>();

    private SyncCase(final Mode mode) {
        this.mode = mode;
    }

    /** @return the sync cases, in table order. */
    public static List<BenchCase> cases() {
        return List.of(new SyncCase(Mode.LOCK), new SyncCase(Mode.LOCKCNT), new SyncCase(Mode.BAR2),
            new SyncCase(Mode.EVENT), new SyncCase(Mode.MAP));
    }

    @Override
    public String name() {
        return mode.name();
    }

    @Override
    public String description() {
        switch (mode) {
            case LOCK:
                return "uncontended SharedMutex lock+unlock in one process, 20M timed after 2M warm-up; peer mp.Lock"
                    + " acquire+release";
            case LOCKCNT:
                return "2 processes each add 1 to a shared long under a SharedMutex 2M times; peer mp.Value under its"
                    + " lock, 200k each";
            case BAR2:
                return "2 processes pass a SharedBarrier(2) 200k times; peer mp.Barrier(2), 20k rounds";
            case MAP:
                return "2 processes each put+get a SharedMap<String,Long> 200k times (1000 keys each); peer"
                    + " Manager().dict() set+get, 5k each";
            default:
                return "ping-pong over 2 SharedEvents between 2 processes, 50k warm-up + 5k timed, median; peer 2"
                    + " mp.Events, 5k";
        }
    }

    @Override
    public String unit() {
        switch (mode) {
            case LOCK:
                return "ops/s";
            case LOCKCNT:
                return "incs/s";
            case BAR2:
                return "rounds/s";
            case MAP:
                return "ops/s";
            default:
                return "us";
        }
    }

    @Override
    public boolean higherIsBetter() {
        return mode != Mode.EVENT;
    }

    @Override
    public double targetRatio() {
        return mode == Mode.LOCK ? 2 : mode == Mode.EVENT ? 10 : mode == Mode.MAP ? 100 : 20;
    }

    @Override
    public String target() {
        return mode == Mode.EVENT ? "<=1/10" : BenchCase.super.target();
    }

    @Override
    public String notes() {
        return mode == Mode.EVENT ? "EVENT p99 us: Forklift " + forkliftP99 : "";
    }

    @Override
    public double runForklift() throws Exception {
        switch (mode) {
            case LOCK:
                return uncontendedLock();
            case LOCKCNT:
                return contendedCounter();
            case BAR2:
                return barrierRounds();
            case MAP:
                return mapOps();
            default:
                return eventPingPong();
        }
    }

    @Override
    public double runPeer() throws Exception {
        switch (mode) {
            case LOCK:
                return Double.parseDouble(peer("lock", "--count", "2000000").get("ops_per_s"));
            case LOCKCNT:
                return Double.parseDouble(peer("counter", "--count", "200000").get("incs_per_s"));
            case BAR2:
                return Double.parseDouble(peer("barrier", "--count", "20000").get("rounds_per_s"));
            case MAP:
                return Double.parseDouble(peer("dict", "--count", "5000").get("ops_per_s"));
            default:
                return Double.parseDouble(peer("event", "--count", "5000", "--warmup", "500").get("median_us"));
        }
    }

    private static Map<String, String> peer(final String... args) throws Exception {
        return PythonPeer.run("mp_sync_peers.py", 300, args);
    }

    private static double uncontendedLock() {
        try (SharedMutex mutex = SharedMutex.create()) {
            final long count = 20_000_000;
            for (int i = 0; i < 2_000_000; i++) {
                mutex.lock();
                mutex.unlock();
            }
            final long startNs = System.nanoTime();
            for (long i = 0; i < count; i++) {
                mutex.lock();
                mutex.unlock();
            }
            return count / ((System.nanoTime() - startNs) / 1e9);
        }
    }

    private static double contendedCounter() throws Exception {
        final long perProcess = 2_000_000;
        try (SharedMutex mutex = SharedMutex.create();
             SharedBarrier gate = SharedBarrier.create(3);
             MappedFile counter = MappedFile.create(SharedMemoryDirectory.current(), "bench", "counter", 4096)) {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                child(SyncTasks.Adder.class, mutex, gate, counter.path().toString(), perProcess),
                child(SyncTasks.Adder.class, mutex, gate, counter.path().toString(), perProcess));
            final double seconds = timedBetweenGates(gate, children);
            if (counter.buffer().getLongVolatile(0) != 2 * perProcess) {
                throw new IllegalStateException("lost increments: " + counter.buffer().getLongVolatile(0));
            }
            return 2 * perProcess / seconds;
        }
    }

    private static double barrierRounds() throws Exception {
        final long rounds = 200_000;
        try (SharedBarrier barrier = SharedBarrier.create(2); SharedBarrier gate = SharedBarrier.create(3)) {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                child(SyncTasks.Party.class, barrier, gate, rounds), child(SyncTasks.Party.class, barrier, gate, rounds));
            return rounds / timedBetweenGates(gate, children);
        }
    }

    private static double mapOps() throws Exception {
        final long perProcess = 200_000;
        try (SharedMap<String, Long> map = SharedMap.create(null, String.class, Long.class, 4096, 32, 16);
             SharedBarrier gate = SharedBarrier.create(3)) {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                child(SyncTasks.MapWorker.class, map, gate, 0, perProcess),
                child(SyncTasks.MapWorker.class, map, gate, 1, perProcess));
            return 2 * 2 * perProcess / timedBetweenGates(gate, children);
        }
    }

    private double eventPingPong() throws Exception {
        final int warmup = 50_000; // both JVMs compiled before the clock starts (5k left the JIT running in it)
        final int count = 5_000;
        try (SharedEvent ping = SharedEvent.create(); SharedEvent pong = SharedEvent.create();
             ChildProcess echo = child(SyncTasks.Echo.class, ping, pong, (long) (warmup + count)).start()) {
            final RoundTrips samples = RoundTrips.time(warmup, count, () -> {
                ping.set();
                pong.await();
                pong.clear();
            });
            echo.joinAndCheck(JOIN);
            forkliftP99.add(Math.round(samples.p99Ns() / 10.0) / 100.0);
            return samples.medianNs() / 1e3;
        }
    }

    private static double timedBetweenGates(final SharedBarrier gate, final List<ChildProcess> children)
        throws Exception {
        try {
            gate.await();
            final long startNs = System.nanoTime();
            gate.await();
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            for (final ChildProcess child : children) {
                child.joinAndCheck(JOIN);
            }
            return seconds;
        } finally {
            for (final ChildProcess child : children) {
                child.kill();
            }
        }
    }

    private static ChildProcessBuilder child(final Class<? extends dev.forklift.process.ProcessTask> task,
        final Object... args) {
        return dev.forklift.bench.queue.ChildJvms.child(task, "sync-bench", args);
    }
}
