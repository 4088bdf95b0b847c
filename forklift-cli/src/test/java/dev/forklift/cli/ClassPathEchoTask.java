package dev.forklift.cli;

import java.util.function.Function;

/** A {@code forklift run} task for {@link WorkersJarTest}: each line followed by the worker JVM's class path. */
public final class ClassPathEchoTask implements Function<String, String> {
    @Override
    public String apply(final String line) {
        return line + " " + System.getProperty("java.class.path");
    }
}
