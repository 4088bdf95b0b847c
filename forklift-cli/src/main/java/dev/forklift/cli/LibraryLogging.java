package dev.forklift.cli;

import dev.forklift.cluster.internal.ArtemisLogging;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command's default for the library's own log records ({@code System.Logger} "dev.forklift.*", through
 * java.util.logging): the commands report worker deaths, retries and repairs themselves, in their tables and
 * summaries, so the library's records would only repeat them on standard error. Only ERROR records (a broken pool)
 * are printed, unless the user configured java.util.logging ({@code -Djava.util.logging.config.file=...} in
 * {@code FORKLIFT_JAVA_OPTS}), which then decides. The embedded broker's and the cluster client's records (Artemis
 * and Netty, through SLF4J) are printed from WARNING up ({@code ArtemisLogging}): an operator sees what goes wrong
 * with the broker, not its start-up chatter and audit lines. Called once by {@link Main#main}, in the command's JVM.
 */
final class LibraryLogging {
    /** Held so that the level set here is not lost when the logger is garbage-collected. */
    private static Logger library;

    private LibraryLogging() {
    }

    static void quietUnlessConfigured() {
        if (ArtemisLogging.userConfigured()) {
            return;
        }
        library = Logger.getLogger("dev.forklift");
        library.setLevel(Level.SEVERE);
        ArtemisLogging.quietUnlessConfigured();
    }
}
