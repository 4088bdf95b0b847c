package dev.forklift.bench.startup;

import java.util.Locale;
import java.util.function.Function;

/** The task of the {@code forklift run} cases: each line upper-cased, as the Python peer does. */
public final class UpperCaseTask implements Function<String, String> {
    @Override
    public String apply(final String line) {
        return line.toUpperCase(Locale.ROOT);
    }
}
