package dev.forklift.cli.run;

import java.util.function.Function;

/** A task for {@code forklift run} tests that stop a run midway: naps 3 ms per line, then acts as {@link ShoutTask}. */
public final class NapTask implements Function<String, String> {
    private final ShoutTask shout = new ShoutTask();

    @Override
    public String apply(final String line) {
        try {
            Thread.sleep(3);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return shout.apply(line);
    }
}
