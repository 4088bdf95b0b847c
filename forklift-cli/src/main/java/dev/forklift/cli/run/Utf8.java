package dev.forklift.cli.run;

/** The length of text in UTF-8, without encoding it. Stateless; any thread. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * @param text the text.
     * @return its length in bytes as UTF-8 (a lone surrogate counts as the 3 bytes of a replacement).
     */
    static long length(final CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
