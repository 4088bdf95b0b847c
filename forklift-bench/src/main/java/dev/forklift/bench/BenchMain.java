package dev.forklift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ./forklift bench}: runs the cross-process cases with their Python peers side by side and prints the
 * table. {@code ./forklift bench jmh [JMH options]} runs the in-process JMH micro-benchmarks instead.
 */
public final class BenchMain {
    private static final String USAGE = String.join("\n",
        "Usage: forklift bench [--case NAME[,NAME...]]... [--runs N] [--list] | forklift bench cluster [RUNS] [--no-peers] [--no-scaling]",
        "       forklift bench jmh [JMH options, e.g. -f 1 -wi 3 -i 5 QueueBenchmark]",
        "Runs each case N times per side (default 3), Forklift and its Python peer alternately, and prints",
        "median [min..max] of each side, the ratio, the target and PASS or FAIL.");

    private BenchMain() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cluster")) {
            dev.forklift.bench.cluster.ClusterBenchMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("jmh")) {
            final String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            org.openjdk.jmh.Main.main(rest);
            return;
        }
        int runs = 3;
        final Set<String> names = new TreeSet<>();
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--case":
                    for (final String name : value(args, ++i).split(",")) {
                        names.add(name.trim().toUpperCase(Locale.ROOT));
                    }
                    break;
                case "--runs":
                    runs = Integer.parseInt(value(args, ++i));
                    break;
                case "--list":
                    list = true;
                    break;
                case "-h":
                case "--help":
                    System.out.println(USAGE);
                    return;
                default:
                    System.err.println("unknown argument: " + args[i] + "\n" + USAGE);
                    System.exit(2);
            }
        }
        final List<BenchCase> selected = new ArrayList<>();
        for (final BenchCase c : BenchCases.all()) {
            if (list) {
                System.out.printf("%-8s %s%n", c.name(), c.description());
            } else if (names.isEmpty() || names.contains(c.name().toUpperCase(Locale.ROOT))) {
                selected.add(c);
            }
        }
        if (list) {
            return;
        }
        if (selected.isEmpty()) {
            System.err.println("no case named " + names + "; --list shows them");
            System.exit(2);
        }
        final boolean pass = new Harness(runs, System.out, System.err).run(selected);
        System.exit(pass ? 0 : 1);
    }

    private static String value(final String[] args, final int i) {
        if (i >= args.length) {
            System.err.println("missing value after " + args[i - 1] + "\n" + USAGE);
            System.exit(2);
        }
        return args[i];
    }
}
