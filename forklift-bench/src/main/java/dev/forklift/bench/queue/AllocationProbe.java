package dev.forklift.bench.queue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The work of {@code take()} on a {@code Queue<byte[]>} alone, in one thread, under the JVM options this probe is
 * started with: a new array per message filled from a direct buffer, for {@code SECONDS}; prints this thread's CPU
 * nanoseconds per message for every 250 ms window, then the mean after the first 1.25 s. CPU time, not wall time, so
 * that other processes on a shared machine move it less. Used to choose the child JVMs' default heap and collector
 * settings: {@code java OPTIONS -cp forklift-bench.jar dev.forklift.bench.queue.AllocationProbe BYTES [SECONDS]}.
 */
public final class AllocationProbe {
    private static final long WINDOW_NS = 250_000_000L;
    private static final int WARM_WINDOWS = 5;
    private static volatile Object sink;

    private AllocationProbe() {
    }

    /**
     * @param args message bytes, then optional seconds (default 3).
     */
    public static void main(final String[] args) {
        final int size = Integer.parseInt(args[0]);
        final double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        final ByteBuffer slots = ByteBuffer.allocateDirect(size * 64);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long end = System.nanoTime() + (long) (seconds * 1e9);
        final StringBuilder windows = new StringBuilder();
        long warmOps = 0;
        long warmCpu = 0;
        for (int window = 0; System.nanoTime() < end; window++) {
            final long cpu0 = threads.getCurrentThreadCpuTime();
            final long wall0 = System.nanoTime();
            long ops = 0;
            while (System.nanoTime() - wall0 < WINDOW_NS) {
                for (int i = 0; i < 64; i++) {
                    final byte[] message = new byte[size];
                    slots.get(i * size, message);
                    sink = message;
                }
                ops += 64;
            }
            final long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            windows.append(String.format(Locale.ROOT, " %.0f", cpu / (double) ops));
            if (window >= WARM_WINDOWS) {
                warmOps += ops;
                warmCpu += cpu;
            }
        }
        System.out.printf(Locale.ROOT, "bytes=%d cpu_ns_per_message_by_window=[%s ] after_1.25s_ns=%.0f%n", size,
            windows.toString().trim(), warmCpu / (double) warmOps);
    }
}
