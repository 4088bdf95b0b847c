package dev.forklift.bench.queue;

import dev.forklift.bench.BenchCase;
import dev.forklift.bench.BenchCases;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the Forklift side of one {@code ./forklift bench} case a number of times, without its peer, and prints each
 * run's figure with the load average before it: a tool to run by hand when two settings or two jars are alternated
 * (for example {@code -Dforklift.bench.childJvm="..."} against none, each in its own JVM, several rounds). Usage:
 * {@code java -cp forklift-bench/target/forklift-bench.jar dev.forklift.bench.queue.ForkliftSideMain CASE [RUNS]}.
 * Runs in the bench's own JVM; each run starts and ends its children as the case does. Throws what the case throws.
 */
public final class ForkliftSideMain {
    private ForkliftSideMain() {
    }

    /**
     * @param args the case's name, then the number of runs (default 3).
     * @throws Exception from the case; {@link IllegalArgumentException} naming the case when there is none such.
     */
    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ForkliftSideMain CASE [RUNS]");
        }
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final BenchCase chosen = BenchCases.all().stream().filter(c -> c.name().equals(args[0])).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no bench case named '" + args[0] + "'"));
        for (int run = 0; run < runs; run++) {
            final String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            final double figure = chosen.runForklift();
            System.out.printf("%s %.0f %s load=%s%n", chosen.name(), figure, chosen.unit(), load);
        }
        System.exit(0);
    }
}
