package dev.forklift.jobs.wordcount;

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
 * <p><b>How.</b> One pass over the bytes. Separators are skipped with one table lookup per byte ({@code LOWER}:
 * the lower-cased byte of an ASCII letter or digit, 0 for an ASCII separator, -1 for a non-ASCII byte). A word
 * is read eight bytes at a time: one little-endian load, a branch-free test of which of the eight bytes are
 * ASCII letters or digits ({@link #asciiWordBytes}), the capitals lower-cased in the same register; the word's
 * bytes of the load are its next 64-bit chunk (see {@link WordCounts}), and a load that is all word bytes
 * continues the word. Fewer than eight bytes before the end of the range go byte by byte. The chunks are hashed
 * once per chunk: no copy, no {@link String}, no decoding. A word that meets a non-ASCII byte is scanned again from its start by the slow
 * path, which decodes UTF-8 and lower-cases code point by code point with {@link Character#toLowerCase(int)}
 * (the same as {@code toLowerCase(Locale.ROOT)} for every code point but {@code Σ} and {@code İ}, whose
 * lower case depends on the context or takes two code points: a word with either goes through {@link String}).
 * Not thread-safe: one per thread.
 */
public final class Tokenizer {
    private static final boolean[] ASCII_WORD = new boolean[128];
    /** Per byte value: lower-cased ASCII letter or digit, 0 for an ASCII separator, -1 for a non-ASCII byte. */
    private static final byte[] LOWER = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            if (c >= 128) {
                LOWER[c] = -1;
            } else {
                ASCII_WORD[c] = Character.isLetterOrDigit(c);
                LOWER[c] = ASCII_WORD[c] ? (byte) Character.toLowerCase(c) : 0;
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
        long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;

    private long[] chunks = new long[8];
    private byte[] word = new byte[64];
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
        final byte[] lower = LOWER;
        int i = from;
        while (i < to) {
            int c = lower[text[i] & 0xFF];
            if (c == 0) {
                i++;
                continue;
            }
            if (c < 0) {
                i = slowWord(text, i, to, counts);
                continue;
            }
            final int start = i;
            long[] out = chunks;
            long chunk;
            int n = 0;
            // Eight bytes at a time while they are all there: the word's bytes of this word-sized load,
            // lower-cased, become the next chunk; a load that is all word bytes continues the word.
            while (true) {
                if (i + 8 > to) {
                    chunk = 0;
                    int shift = 0;
                    while (i < to && (c = lower[text[i] & 0xFF]) > 0) {
                        if (shift == 64) {
                            if (n + 1 >= out.length) {
                                out = growChunks(n + 2);
                            }
                            out[n++] = chunk;
                            chunk = 0;
                            shift = 0;
                        }
                        chunk |= (long) c << shift;
                        shift += 8;
                        i++;
                    }
                    if (i < to) {
                        c = lower[text[i] & 0xFF];
                    }
                    break;
                }
                final long bytes = (long) LONGS.get(text, i);
                final long wordBytes = asciiWordBytes(bytes);
                final long stops = ~wordBytes & HIGH_BITS;
                if (stops == 0) {
                    if (n + 1 >= out.length) {
                        out = growChunks(n + 2);
                    }
                    out[n++] = lowerCase(bytes, wordBytes);
                    i += 8;
                    continue;
                }
                final int wordLength = Long.numberOfTrailingZeros(stops) >>> 3;
                i += wordLength;
                c = lower[text[i] & 0xFF];
                if (wordLength == 0) {
                    if (n == 0) {
                        chunk = 0; // Cannot happen: the word's first byte is a word byte.
                    } else {
                        chunk = out[--n]; // The word ended exactly at the previous load's end.
                    }
                } else {
                    chunk = lowerCase(bytes, wordBytes) & (-1L >>> (64 - (wordLength << 3)));
                }
                break;
            }
            if (c < 0 && i < to) {
                i = slowWord(text, start, to, counts);
                continue;
            }
            out[n++] = chunk;
            final int length = i - start;
            words++;
            counts.add(out, length, WordCounts.hash(out, length), 1);
        }
    }

    /**
     * Counts the word starting at {@code start} the slow way (it has a non-ASCII byte, or starts with one), or
     * skips the separator there.
     *
     * @return where scanning goes on.
     */
    private int slowWord(final byte[] text, final int start, final int to, final WordCounts counts) {
        int i = start;
        int length = 0;
        boolean special = false;
        int skip = 1;
        while (i < to) {
            final int b = text[i];
            if (b >= 0) {
                if (!ASCII_WORD[b]) {
                    break;
                }
                if (length == word.length) {
                    word = Arrays.copyOf(word, length * 2);
                }
                word[length++] = LOWER[b];
                i++;
                continue;
            }
            final int n = sequenceLength(text, i, to);
            if (n == 0) {
                break;
            }
            final int cp = decode(text, i, n);
            if (!Character.isLetterOrDigit(cp)) {
                skip = n;
                break;
            }
            if (cp == 0x03A3 || cp == 0x0130) {
                special = true;
            }
            if (length + 4 > word.length) {
                word = Arrays.copyOf(word, word.length * 2);
            }
            length = encode(Character.toLowerCase(cp), word, length);
            i += n;
        }
        if (i == start) {
            return i + skip;
        }
        words++;
        if (special) {
            final byte[] lowered = new String(text, start, i - start, StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            counts.add(lowered, 0, lowered.length, WordCounts.hash(lowered, 0, lowered.length), 1);
        } else {
            counts.add(word, 0, length, WordCounts.hash(word, 0, length), 1);
        }
        return i;
    }

    /**
     * @param bytes eight bytes, little-endian.
     * @return 0x80 in each byte position holding an ASCII letter or digit, 0 elsewhere (a non-ASCII byte is not
     *     one). Each byte is tested on its low seven bits, so no sum carries into its neighbour.
     */
    static long asciiWordBytes(final long bytes) {
        final long ascii = ~bytes & HIGH_BITS;
        final long low = bytes & LOW_SEVEN_BITS;
        final long digit = inRange(low, '0', '9');
        final long upper = inRange(low, 'A', 'Z');
        final long lowerCase = inRange(low, 'a', 'z');
        return (digit | upper | lowerCase) & ascii;
    }

    /** @return 0x80 in each byte position whose 7-bit value is in {@code [from, to]}, 0 elsewhere. */
    private static long inRange(final long low, final int from, final int to) {
        final long atLeastFrom = low + (0x80 - from) * 0x0101010101010101L;
        final long aboveTo = low + (0x80 - (to + 1)) * 0x0101010101010101L;
        return atLeastFrom & ~aboveTo & HIGH_BITS;
    }

    /** @return the bytes with each ASCII capital letter among {@code wordBytes} lower-cased. */
    private static long lowerCase(final long bytes, final long wordBytes) {
        final long upper = inRange(bytes & LOW_SEVEN_BITS, 'A', 'Z') & wordBytes;
        return bytes | (upper >>> 2);
    }

    private long[] growChunks(final int needed) {
        chunks = Arrays.copyOf(chunks, Math.max(needed, chunks.length * 2));
        return chunks;
    }

    private static int encode(final int cp, final byte[] out, final int at) {
        if (cp < 0x80) {
            out[at] = (byte) cp;
            return at + 1;
        }
        if (cp < 0x800) {
            out[at] = (byte) (0xC0 | (cp >>> 6));
            out[at + 1] = (byte) (0x80 | (cp & 0x3F));
            return at + 2;
        }
        if (cp < 0x10000) {
            out[at] = (byte) (0xE0 | (cp >>> 12));
            out[at + 1] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
            out[at + 2] = (byte) (0x80 | (cp & 0x3F));
            return at + 3;
        }
        out[at] = (byte) (0xF0 | (cp >>> 18));
        out[at + 1] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        out[at + 2] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        out[at + 3] = (byte) (0x80 | (cp & 0x3F));
        return at + 4;
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
