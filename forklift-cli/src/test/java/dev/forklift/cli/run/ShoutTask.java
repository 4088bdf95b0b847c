package dev.forklift.cli.run;

import java.util.function.Function;

/**
 * A task for {@code forklift run} tests: upper-cases its line; "boom" throws, "slow" hangs, "die" ends the worker,
 * "grow" answers 8 KiB.
 */
public final class ShoutTask implements Function<String, String> {
    @Override
    public String apply(final String line) {
        if (line.equals("boom")) {
            throw new IllegalStateException("boom!");
        }
        if (line.equals("die")) {
            Runtime.getRuntime().halt(7);
        }
        if (line.equals("grow")) {
            return "G".repeat(8192);
        }
        if (line.equals("slow")) {
            try {
                Thread.sleep(60_000);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return line.toUpperCase();
    }
}
