package dev.forklift.cli;

import java.util.function.Function;

/** A task for {@code forklift run} tests: "exit N" calls {@code System.exit(N)}; other lines come back as they are. */
public final class ExitingTask implements Function<String, String> {
    @Override
    public String apply(final String line) {
        if (line.startsWith("exit ")) {
            System.exit(Integer.parseInt(line.substring(5).trim()));
        }
        return line;
    }
}
