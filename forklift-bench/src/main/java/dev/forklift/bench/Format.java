package dev.forklift.bench;

import java.util.Locale;

/** Number formatting for the benchmark table. */
public final class Format {
    private Format() {
    }

    /**
     * @param value a measurement.
     * @return the value with 3 significant digits and a k/M/G suffix where it helps, such as {@code 8.21M}.
     */
    public static String number(final double value) {
        final double abs = Math.abs(value);
        if (abs >= 1e9) {
            return String.format(Locale.ROOT, "%.3gG", value / 1e9);
        }
        if (abs >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", value / 1e6);
        }
        if (abs >= 1e4) {
            return String.format(Locale.ROOT, "%.3gk", value / 1e3);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /**
     * @param ratio a ratio.
     * @return the ratio as {@code 12.3x}, or {@code 1/4.0} style fractions below one.
     */
    public static String ratio(final double ratio) {
        return ratio >= 10 ? String.format(Locale.ROOT, "%.0fx", ratio) : String.format(Locale.ROOT, "%.2gx", ratio);
    }

    /**
     * @param fraction a fraction.
     * @return the fraction in percent, such as {@code 42%}.
     */
    public static String percent(final double fraction) {
        return fraction >= 0.1 ? String.format(Locale.ROOT, "%.0f%%", fraction * 100)
            : String.format(Locale.ROOT, "%.2g%%", fraction * 100);
    }
}
