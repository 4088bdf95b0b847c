package dev.forklift.cli.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The failures a {@code forklift run} lists on standard error at its end, each with the file and line of its input
 * (such as {@code second.txt line 2 "boom": java.lang.IllegalStateException: boom!}). Keeps the first
 * {@link #MAX_LISTED} only, so that a run with a million failures neither holds nor prints them all; the
 * {@code --failed} file has every one. Used by the thread that consumes the run's outcomes only.
 */
final class FailureSummary {
    /** Failures listed at most. */
    static final int MAX_LISTED = 50;
    private static final int MAX_INPUT_CHARS = 80;
    private static final int MAX_REASON_CHARS = 300;

    private final List<String> listed = new ArrayList<>();

    /**
     * @param origin where the input came from, such as {@code in.txt line 8}.
     * @param input  the input (or what could be read of it).
     * @param reason why it failed.
     */
    void add(final String origin, final String input, final String reason) {
        if (listed.size() < MAX_LISTED) {
            listed.add(origin + " " + quote(input) + ": " + oneLine(reason));
        }
    }

    /** @param origin where an input that failed and then succeeded on a retry came from: no longer listed. */
    void remove(final String origin) {
        listed.removeIf(line -> line.startsWith(origin + " \""));
    }

    /**
     * Prints the count and the listed failures.
     *
     * @param err        standard error.
     * @param failed     how many inputs failed in all.
     * @param failedFile the {@code --failed} file, or null.
     */
    void print(final PrintWriter err, final long failed, final Path failedFile) {
        err.println("forklift run: " + failed + " input(s) failed:");
        listed.forEach(line -> err.println("  " + line));
        if (failed > listed.size()) {
            err.println("  ... and " + (failed - listed.size()) + " more" + (failedFile == null
                ? " (--failed FILE keeps every failure)" : " (every failure is in " + failedFile + ")"));
        }
        err.flush();
    }

    private static String quote(final String input) {
        final String text = input.length() > MAX_INPUT_CHARS ? input.substring(0, MAX_INPUT_CHARS) + "..." : input;
        return "\"" + text.replace('\r', ' ') + "\"";
    }

    private static String oneLine(final String reason) {
        final String text = reason.replace('\n', ' ').replace('\r', ' ');
        return text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "..." : text;
    }
}
