package dev.forklift.pipeline;

import java.io.Serializable;

/**
 * One failure of a pipeline: which step failed, on which source and position, with which error.
 *
 * @param stage    the stage name ({@code read} for a source that could not be read, {@code sink} for the sink).
 * @param source   the name of the source the failed item came from, or empty when unknown (in
 *                 {@link Stage#finish}).
 * @param position the position of the item in its source (line number, byte offset, item index), or -1.
 * @param pid      the process where it failed.
 * @param error    the exception's class and message.
 *
 * @serial exclude
 */
public record FailureRecord(String stage, String source, long position, long pid, String error)
    implements Serializable {

    /** @return the record as one JSON object on one line. */
    public String toJson() {
        return "{\"stage\":" + quote(stage) + ",\"source\":" + quote(source) + ",\"position\":" + position
            + ",\"pid\":" + pid + ",\"error\":" + quote(error) + "}";
    }

    @Override
    public String toString() {
        return stage + " failed on " + (source.isEmpty() ? "(no source)" : source)
            + (position >= 0 ? " at position " + position : "") + " in pid " + pid + ": " + error;
    }

    /**
     * @param text any text.
     * @return the text as a JSON string literal.
     */
    public static String quote(final String text) {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
