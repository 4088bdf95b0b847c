package dev.forklift.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the library's failure messages in the command line's terms: where a message from the pool tells a library
 * user which setting to raise ({@code raise maxMessageBytes}), a command-line user reads the option that sets it
 * ({@code raise --max-input-size}). Used by the commands when they print a failure; pure, thread-safe.
 */
public final class LibraryTerms {
    /** Library wording, in the order tried, and the command line's. */
    private static final Map<String, String> CLI_TERMS = new LinkedHashMap<>();

    static {
        CLI_TERMS.put("(raise maxMessageBytes)", "(raise --max-input-size)");
        CLI_TERMS.put("(maxMessageBytes)", "(raise --max-input-size)");
        CLI_TERMS.put("maxMessageBytes=", "--max-input-size ");
    }

    private LibraryTerms() {
    }

    /**
     * @param message a message of the library, such as a failed input's error.
     * @return the message with each library setting it names replaced by the option that sets it.
     */
    public static String inCliTerms(final String message) {
        if (message == null) {
            return null;
        }
        String text = message;
        for (final Map.Entry<String, String> term : CLI_TERMS.entrySet()) {
            text = text.replace(term.getKey(), term.getValue());
        }
        return text;
    }
}
