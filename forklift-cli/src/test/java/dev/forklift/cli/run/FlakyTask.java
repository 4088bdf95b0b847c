package dev.forklift.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A task for the dashboard's retry tests: "flaky N PATH" fails until the file PATH exists, then answers "FIXED N";
 * any other line naps 3 ms and is upper-cased.
 */
public final class FlakyTask implements Function<String, String> {
    @Override
    public String apply(final String line) {
        if (line.startsWith("flaky ")) {
            final String[] parts = line.split(" ", 3);
            if (!Files.exists(Path.of(parts[2]))) {
                throw new IllegalStateException("not ready yet: " + parts[2]);
            }
            return "FIXED " + parts[1];
        }
        try {
            Thread.sleep(3);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return line.toUpperCase();
    }
}
