package dev.forklift.cli.run;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads memory sizes written like {@code 512m}, {@code 2g}, {@code 800k} (powers of 1024) or plain bytes. */
public final class Sizes {
    private static final Pattern FORM = Pattern.compile("(\\d{1,15})([kmg]?)");

    private Sizes() {
    }

    /**
     * @param text the size, such as {@code 512m}.
     * @return the size in bytes.
     * @throws IllegalArgumentException if the text is not a positive whole number, optionally followed by k, m or g;
     *                                  the message quotes the text.
     */
    public static long parse(final String text) {
        final Matcher matcher = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("invalid size '" + text
                + "': expected a positive whole number of bytes, optionally followed by k, m or g, such as 512m");
        }
        final long amount = Long.parseLong(matcher.group(1));
        final int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("invalid size '" + text + "': too large");
        }
        return amount << shift;
    }
}
