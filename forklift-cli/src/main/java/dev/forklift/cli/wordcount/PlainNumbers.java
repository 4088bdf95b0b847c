package dev.forklift.cli.wordcount;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Numbers as {@code String.format(Locale.ROOT, ...)} writes them ({@code %,d} and {@code %.Nf}), without a
 * {@link java.util.Formatter}: its first use loads the locale data (CLDR, DecimalFormatSymbols), 13 ms of a tiny word
 * count's end under load, after the last result. Called by {@link WordCountReport} on the command's thread.
 */
final class PlainNumbers {
    private PlainNumbers() {
    }

    /** @return {@code value} with a comma between groups of three digits, as {@code %,d} in {@code Locale.ROOT}. */
    static String grouped(final long value) {
        if (value == Long.MIN_VALUE) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        final String digits = Long.toString(Math.abs(value));
        final StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (value < 0) {
            text.append('-');
        }
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        return text.toString();
    }

    /** @return {@link #grouped} padded with spaces on the left to {@code width}, as {@code %,<width>d}. */
    static String grouped(final long value, final int width) {
        final String text = grouped(value);
        return text.length() >= width ? text : new StringBuilder().append(" ".repeat(width - text.length()))
            .append(text).toString();
    }

    /** @return {@code value} with {@code decimals} digits after the point, rounded half up, as {@code %.<decimals>f}. */
    static String fixed(final double value, final int decimals) {
        if (!Double.isFinite(value)) {
            return String.format(Locale.ROOT, new StringBuilder("%.").append(decimals).append('f').toString(), value);
        }
        // Formatter rounds the shortest decimal form of the double half up: so does this.
        final String text = new BigDecimal(Double.toString(value)).setScale(decimals, RoundingMode.HALF_UP)
            .toPlainString();
        return (value < 0 || value == 0 && 1 / value < 0) && !text.startsWith("-") ? "-".concat(text) : text;
    }
}
