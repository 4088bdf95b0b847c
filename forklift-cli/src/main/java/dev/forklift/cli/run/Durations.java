package dev.forklift.cli.run;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written like {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /**
     * @param text the duration, such as {@code 500ms}.
     * @return the duration.
     * @throws IllegalArgumentException if the text is not a positive whole number followed by ms, s, m or h;
     *                                  the message quotes the text.
     */
    public static Duration parse(final String text) {
        final Matcher matcher = FORM.matcher(text == null ? "" : text.trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("invalid duration '" + text
                + "': expected a positive whole number followed by ms, s, m or h, such as 500ms, 3s, 2m");
        }
        final long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "ms": return Duration.ofMillis(amount);
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            default: return Duration.ofHours(amount);
        }
    }
}
