package dev.forklift.cli.run;

/**
 * A line that {@code forklift run} could not turn into an input: its bytes are not valid in the input's encoding
 * ({@code --encoding}), or it is longer than {@code --max-input-size}. Such a line still takes its place in the run
 * as a <em>marker</em> input, so that it fails in input order like any other input (an empty output line in order,
 * a {@code --failed} record, a line of the summary): the marker starts with a line feed, which no line read from a
 * file can contain, and the workers do not give it to the task ({@link LineTask}). Immutable.
 *
 * @param error   the kind of problem: {@link #MALFORMED} or {@link #TOO_LARGE}.
 * @param message what is wrong and what to do, one line.
 * @param preview the start of the line as far as it could be read (invalid bytes shown as U+FFFD), for people only.
 */
record RejectedLine(String error, String message, String preview) {
    /** The error of a line with bytes that are invalid in the input's encoding. */
    static final String MALFORMED = "MalformedInput";
    /** The error of a line longer than {@code --max-input-size}. */
    static final String TOO_LARGE = "InputTooLarge";

    RejectedLine {
        if (error.indexOf('\n') >= 0 || message.indexOf('\n') >= 0 || preview.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a rejected line's fields must be single lines: error=" + error);
        }
    }

    /** @return the marker input that stands for this line in the run. */
    String marker() {
        return "\n" + error + "\n" + message + "\n" + preview;
    }

    /**
     * @param input an input of the run.
     * @return true when it is a marker made by {@link #marker()}, not a line.
     */
    static boolean isMarker(final String input) {
        return input != null && !input.isEmpty() && input.charAt(0) == '\n';
    }

    /**
     * @param marker a marker made by {@link #marker()}.
     * @return the rejected line it stands for.
     * @throws IllegalArgumentException if it is no marker.
     */
    static RejectedLine parse(final String marker) {
        final String[] parts = marker.split("\n", 4);
        if (!isMarker(marker) || parts.length != 4) {
            throw new IllegalArgumentException("not a rejected-line marker: " + marker);
        }
        return new RejectedLine(parts[1], parts[2], parts[3]);
    }

    /**
     * @param error a {@code --failed} record's error.
     * @return true for the errors of lines that could not be read ({@link #MALFORMED}, {@link #TOO_LARGE}).
     */
    static boolean isReadError(final String error) {
        return MALFORMED.equals(error) || TOO_LARGE.equals(error);
    }
}
