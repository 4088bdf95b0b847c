package com.example.wordstats;

import dev.forklift.pool.Pool;

import java.util.List;
import java.util.Locale;

/** Code that exists only among the test classes, run by worker JVMs. */
final class TestOnly {
    private TestOnly() {
    }

    static List<String> shout(final List<String> lines) {
        try (Pool pool = Pool.builder().workers(1).build()) {
            return pool.map((String line) -> line.toUpperCase(Locale.ROOT), lines);
        }
    }
}
