package dev.forklift.jobs.wordcount;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes generated text files for the word count: words drawn from a fixed vocabulary with Zipf-like frequencies
 * (rank r has weight 1/r), lines of 6 to 17 words, a few punctuation marks; about 3 % of the vocabulary is
 * non-ASCII (Latin accents, Cyrillic, Japanese) in spellings on which Java's and Python's word rules agree.
 * Deterministic for a given seed. Used in the parent or a benchmark driver.
 */
public final class SampleCorpus {
    /** Words in the vocabulary. */
    public static final int VOCABULARY = 50_000;
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "an", "el", "or",
        "us", "ve", "di", "qu", "zo", "be", "ri", "st", "ch"};
    private static final String[] FOREIGN = {"é", "ü", "ø", "ñ", "ж", "мир", "東", "の", "ß", "ç"};
    private static final byte[][] SEPARATORS = {" ".getBytes(StandardCharsets.UTF_8),
        ", ".getBytes(StandardCharsets.UTF_8), ". ".getBytes(StandardCharsets.UTF_8),
        " - ".getBytes(StandardCharsets.UTF_8), "; ".getBytes(StandardCharsets.UTF_8)};

    private SampleCorpus() {
    }

    /**
     * @param index the file's index, from 0.
     * @return the name {@link #write} gives that file, such as {@code part-00.txt}.
     */
    public static String fileName(final int index) {
        return String.format("part-%02d.txt", index);
    }

    /**
     * Writes {@code files} files named {@code part-00.txt}... of about {@code bytesPerFile} bytes each.
     *
     * @param directory    where to write (created when missing).
     * @param files        how many files, at least 1.
     * @param bytesPerFile about how many bytes each, at least 1.
     * @param seed         the random seed.
     * @return the files written.
     * @throws IOException if a file cannot be written.
     */
    public static List<Path> write(final Path directory, final int files, final long bytesPerFile, final long seed)
        throws IOException {
        if (files < 1 || bytesPerFile < 1) {
            throw new IllegalArgumentException("files and bytesPerFile must be positive: files=" + files
                + ", bytesPerFile=" + bytesPerFile);
        }
        Files.createDirectories(directory);
        final byte[][] vocabulary = vocabulary(seed);
        final double[] cumulative = new double[VOCABULARY];
        double sum = 0;
        for (int r = 0; r < VOCABULARY; r++) {
            sum += 1.0 / (r + 1);
            cumulative[r] = sum;
        }
        final List<Path> written = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            final Path file = directory.resolve(fileName(f));
            final SplittableRandom random = new SplittableRandom(seed * 31 + f);
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                long written0 = 0;
                while (written0 < bytesPerFile) {
                    final int words = 6 + random.nextInt(12);
                    for (int w = 0; w < words; w++) {
                        final byte[] word = vocabulary[rank(cumulative, random.nextDouble() * sum)];
                        out.write(word);
                        final byte[] separator = w == words - 1 ? new byte[0]
                            : SEPARATORS[random.nextInt(10) < 7 ? 0 : random.nextInt(SEPARATORS.length)];
                        out.write(separator);
                        written0 += word.length + separator.length;
                    }
                    out.write('\n');
                    written0++;
                }
            }
            written.add(file);
        }
        return written;
    }

    private static int rank(final double[] cumulative, final double target) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            final int mid = (low + high) >>> 1;
            if (cumulative[mid] < target) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static byte[][] vocabulary(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final java.util.Set<String> seen = new java.util.HashSet<>();
        final byte[][] words = new byte[VOCABULARY][];
        int i = 0;
        while (i < VOCABULARY) {
            final StringBuilder word = new StringBuilder();
            final int syllables = 1 + random.nextInt(i < 100 ? 2 : 4);
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            if (random.nextInt(100) < 3) {
                word.append(FOREIGN[random.nextInt(FOREIGN.length)]);
            }
            if (random.nextInt(20) == 0) {
                word.setCharAt(0, Character.toUpperCase(word.charAt(0)));
            }
            if (seen.add(word.toString().toLowerCase(java.util.Locale.ROOT))) {
                words[i++] = word.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
        return words;
    }
}
