package dev.forklift.cli;

import java.util.function.Function;

/**
 * A task for {@code forklift run} tests: "exit N" calls {@code System.exit(N)}, "halt N"
 * halts the JVM with code N (no shutdown hook runs), "sleep N" sleeps N ms, "say TEXT"
 * prints TEXT on the worker's standard error; every line comes back as it is.
 */
public final class ScriptedTask implements Function<String, String> {
    @Override
    public String apply(final String line) {
        if (line.startsWith("exit ")) {
            System.exit(Integer.parseInt(line.substring(5).trim()));
        }
        if (line.startsWith("halt ")) {
            Runtime.getRuntime().halt(Integer.parseInt(line.substring(5).trim()));
        }
        if (line.startsWith("say ")) {
            System.err.println(line.substring(4));
        }
        if (line.startsWith("sleep ")) {
            try {
                Thread.sleep(Long.parseLong(line.substring(6).trim()));
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return line;
    }
}
