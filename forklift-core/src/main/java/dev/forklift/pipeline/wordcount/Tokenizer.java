package dev.forklift.pipeline.wordcount;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Finds the words of UTF-8 text and counts them. The rule, exactly:
 *
 * <ol>
 *   <li>The bytes are decoded as UTF-8; a byte that does not start a well-formed sequence (a stray continuation
 *       byte, an overlong form, a surrogate, a value above U+10FFFF, a truncated sequence) counts as one
 *       separator, as U+FFFD does when Java decodes the text.</li>
 *   <li>A word is a maximal run of code points {@code cp} for which {@link Character#isLetterOrDigit(int)} is
 *       true (Unicode categories Lu, Ll, Lt, Lm, Lo and Nd). Everything else separates words: spaces,
 *       punctuation, symbols, marks (Mn, Mc), connectors such as {@code _}, other numbers such as
 *       {@code ²}.</li>
 *   <li>Each word is lower-cased as a whole with {@link String#toLowerCase(Locale) toLowerCase(Locale.ROOT)}
 *       (so a final capital sigma becomes {@code ς}, and {@code İ} becomes {@code i̇}).</li>
 * </ol>
 *
 * ASCII text takes a fast path (a table lookup per byte, lower-casing on the fly, no allocation); a word with a
 * non-ASCII letter is decoded and lower-cased through {@link String}. Not thread-safe: one per thread.
 */
public final class Tokenizer {
    private static final boolean[] ASCII_WORD = new boolean[128];
    private static final byte[] ASCII_LOWER = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII_WORD[c] = Character.isLetterOrDigit(c);
            ASCII_LOWER[c] = (byte) Character.toLowerCase(c);
        }
    }

    private byte[] word = new byte[256];
    private long words;

    /** @return the words counted so far by this tokenizer. */
    public long words() {
        return words;
    }

    /**
     * Counts the words of {@code text[from, to)} into {@code counts}. The range must not cut a word or a UTF-8
     * sequence (see {@code Sources.blocks}).
     *
     * @param text   UTF-8 bytes.
     * @param from   first byte.
     * @param to     end, exclusive.
     * @param counts where the counts go.
     */
    public void count(final byte[] text, final int from, final int to, final WordCounts counts) {
        int i = from;
        int length = 0;
        int hash = 0;
        boolean slow = false;
        while (i < to) {
            final int b = text[i];
            if (b >= 0) {
                if (ASCII_WORD[b]) {
                    final byte lower = ASCII_LOWER[b];
                    if (length == word.length) {
                        word = Arrays.copyOf(word, length * 2);
                    }
                    word[length++] = lower;
                    hash = 31 * hash + lower;
                    i++;
                    continue;
                }
                i++;
            } else {
                final int n = sequenceLength(text, i, to);
                if (n > 0) {
                    final int cp = decode(text, i, n);
                    if (Character.isLetterOrDigit(cp)) {
                        if (length + n > word.length) {
                            word = Arrays.copyOf(word, Math.max(word.length * 2, length + n));
                        }
                        System.arraycopy(text, i, word, length, n);
                        length += n;
                        slow = true;
                        i += n;
                        continue;
                    }
                    i += n;
                } else {
                    i++;
                }
            }
            if (length > 0) {
                emit(length, hash, slow, counts);
                length = 0;
                hash = 0;
                slow = false;
            }
        }
        if (length > 0) {
            emit(length, hash, slow, counts);
        }
    }

    private void emit(final int length, final int hash, final boolean slow, final WordCounts counts) {
        words++;
        if (!slow) {
            counts.add(word, 0, length, WordCounts.mix(hash), 1);
            return;
        }
        final byte[] lower = new String(word, 0, length, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)
            .getBytes(StandardCharsets.UTF_8);
        counts.add(lower, 0, lower.length, WordCounts.hash(lower, 0, lower.length), 1);
    }

    /** @return the length of the well-formed UTF-8 sequence starting with a non-ASCII byte at {@code i}, or 0. */
    static int sequenceLength(final byte[] text, final int i, final int to) {
        final int lead = text[i] & 0xff;
        final int n;
        final int min;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > to) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((text[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        final int cp = decode(text, i, n);
        if (cp < min || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        return n;
    }

    private static int decode(final byte[] text, final int i, final int n) {
        int cp = text[i] & (0x7F >> n);
        for (int k = 1; k < n; k++) {
            cp = (cp << 6) | (text[i + k] & 0x3F);
        }
        return cp;
    }
}
