package dev.forklift.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs {@link Main} with the arguments after the first, and at exit writes the JDK's launch mechanism property
 * ({@code jdk.lang.Process.launchMechanism}, "null" when unset) to the file named by the first. Used by
 * {@link EarlyLaunchTest} in a JVM of its own.
 */
public final class LaunchMechanismProbe {
    private LaunchMechanismProbe() {
    }

    /** @param args the report file, then the command line. */
    public static void main(final String[] args) {
        final Path report = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(report, String.valueOf(System.getProperty(EarlyLaunch.LAUNCH_MECHANISM_PROPERTY)));
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }));
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
