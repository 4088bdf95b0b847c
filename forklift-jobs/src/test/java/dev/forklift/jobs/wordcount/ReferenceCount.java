package dev.forklift.jobs.wordcount;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An independent, obviously correct word count: decode with the JDK, split on code points, lower-case words. */
final class ReferenceCount {
    private ReferenceCount() {
    }

    static Map<String, Long> count(final List<Path> files) throws Exception {
        final Map<String, Long> counts = new HashMap<>();
        for (final Path file : files) {
            countText(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
                .forEach((word, count) -> counts.merge(word, count, Long::sum));
        }
        return counts;
    }

    /** The rule on well-formed text, the obvious way: code points, {@link String#toLowerCase(Locale)}. */
    static Map<String, Long> countText(final String text) {
        final Map<String, Long> counts = new HashMap<>();
        final StringBuilder word = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (word.length() > 0) {
                counts.merge(word.toString().toLowerCase(Locale.ROOT), 1L, Long::sum);
                word.setLength(0);
            }
        });
        if (word.length() > 0) {
            counts.merge(word.toString().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
        return counts;
    }
}
