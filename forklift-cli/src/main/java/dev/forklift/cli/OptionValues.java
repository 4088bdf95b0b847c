package dev.forklift.cli;

import dev.forklift.cli.run.Durations;
import dev.forklift.cli.run.Sizes;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * Checks option values in the command line's terms, before they reach the library: a problem is a usage error
 * whose message names the option and the value as the user typed them, such as {@code --workers 5000: at most
 * 4096}, never a library method or setting ({@code workerLimit(n)}, {@code heartbeatTimeout=PT0.5S}). Used by
 * the commands on the parent's main thread while they read their options; never blocks.
 */
public final class OptionValues {
    private OptionValues() {
    }

    /**
     * @param commandLine the command whose option it is.
     * @param option      the option's name, such as {@code --workers}.
     * @param value       the value.
     * @param min         the least value allowed.
     * @param max         the greatest value allowed.
     * @return the value.
     * @throws CommandLine.ParameterException such as {@code --workers 5000: at most 4096}.
     */
    public static long inRange(final CommandLine commandLine, final String option, final long value, final long min,
        final long max) {
        if (value < min) {
            throw problem(commandLine, option, Long.toString(value), "at least " + min);
        }
        if (value > max) {
            throw problem(commandLine, option, Long.toString(value), "at most " + max);
        }
        return value;
    }

    /**
     * @param commandLine the command whose option it is.
     * @param option      the option's name, such as {@code --timeout}.
     * @param text        the value as typed, such as {@code 500ms}.
     * @param min         the shortest duration allowed.
     * @return the duration.
     * @throws CommandLine.ParameterException naming the option when the text is no duration or below {@code min}.
     */
    public static Duration duration(final CommandLine commandLine, final String option, final String text,
        final Duration min) {
        final Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(commandLine, option + ": " + ex.getMessage(), ex);
        }
        if (duration.compareTo(min) < 0) {
            throw problem(commandLine, option, text, "at least " + formatDuration(min));
        }
        return duration;
    }

    /**
     * @param commandLine the command whose option it is.
     * @param option      the option's name, such as {@code --max-rss}.
     * @param text        the value as typed, such as {@code 512m}.
     * @param minBytes    the smallest size allowed.
     * @param maxBytes    the largest size allowed.
     * @return the size in bytes.
     * @throws CommandLine.ParameterException naming the option when the text is no size or out of range.
     */
    public static long size(final CommandLine commandLine, final String option, final String text,
        final long minBytes, final long maxBytes) {
        final long bytes;
        try {
            bytes = Sizes.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(commandLine, option + ": " + ex.getMessage(), ex);
        }
        if (bytes < minBytes) {
            throw problem(commandLine, option, text, "at least " + formatSize(minBytes));
        }
        if (bytes > maxBytes) {
            throw problem(commandLine, option, text, "at most " + formatSize(maxBytes));
        }
        return bytes;
    }

    /**
     * @param commandLine the command whose option it is.
     * @param option      the option's name.
     * @param value       the value as typed.
     * @param problem     what is wrong with it, such as {@code at most 4096}.
     * @return the usage error {@code <option> <value>: <problem>}, to throw.
     */
    public static CommandLine.ParameterException problem(final CommandLine commandLine, final String option,
        final String value, final String problem) {
        return new CommandLine.ParameterException(commandLine, option + " " + value + ": " + problem);
    }

    /**
     * @param bytes a size.
     * @return the size as an option takes it: {@code 32m}, {@code 4k}, {@code 2g}, or plain bytes.
     */
    public static String formatSize(final long bytes) {
        for (final String unit : new String[] {"g", "m", "k"}) {
            final int shift = unit.equals("g") ? 30 : unit.equals("m") ? 20 : 10;
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + unit;
            }
        }
        return Long.toString(bytes);
    }

    /**
     * @param duration a duration.
     * @return the duration as an option takes it: {@code 1s}, {@code 500ms}, {@code 2m}.
     */
    public static String formatDuration(final Duration duration) {
        final long ms = duration.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return String.format(Locale.ROOT, "%dh", ms / 3_600_000);
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return String.format(Locale.ROOT, "%dm", ms / 60_000);
        }
        if (ms % 1_000 == 0 && ms > 0) {
            return String.format(Locale.ROOT, "%ds", ms / 1_000);
        }
        return ms + "ms";
    }
}
