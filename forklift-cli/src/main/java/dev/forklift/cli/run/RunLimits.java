package dev.forklift.cli.run;

import dev.forklift.pool.PoolBuilder;

/**
 * The size limits of {@code forklift run}: {@code --max-input-size} bounds a line (as read and as UTF-8), and the
 * pool's largest message ({@link PoolBuilder#maxMessageBytes}) is set from it, so that a line the run accepts always
 * fits in a message to a worker, and a result may be as large. Stateless.
 */
final class RunLimits {
    /** The default of {@code --max-input-size}: 1 MiB. */
    static final int DEFAULT_MAX_INPUT_BYTES = 1 << 20;
    /** The largest {@code --max-input-size}: 63 MiB, so that a message of it stays under the pool's 64 MiB. */
    static final int MAX_INPUT_BYTES = 63 << 20;
    /** {@link #MAX_INPUT_BYTES} as the option reads it. */
    static final String MAX_INPUT_SIZE_TEXT = "63m";
    /** What a message holds beyond its one input: the frame header and the element's length and kind. */
    private static final int MESSAGE_HEADROOM_BYTES = 4096;
    /** The smallest {@code --max-input-size}: 1 KiB. */
    static final int MIN_INPUT_BYTES = 1024;

    private RunLimits() {
    }

    /**
     * @param maxInputBytes the limit of a line, from the run's {@code --max-input-size}.
     * @return the pool's largest message for it.
     */
    static int maxMessageBytes(final int maxInputBytes) {
        return maxInputBytes + MESSAGE_HEADROOM_BYTES;
    }

    /**
     * Rewrites the pool's message about a message that is too large to name the option that raises the limit.
     *
     * @param message   an error message, may be null.
     * @param maxInputBytes the run's limit.
     * @return the message, with {@code maxMessageBytes} replaced by {@code --max-input-size}.
     */
    static String nameTheOption(final String message, final int maxInputBytes) {
        if (message == null || !message.contains("does not fit in a message of")) {
            return message;
        }
        final String hint = "(raise --max-input-size, now " + maxInputBytes + " bytes, at most " + MAX_INPUT_SIZE_TEXT
            + ")";
        return message.replace("(raise maxMessageBytes)", hint).replace("(maxMessageBytes)", hint);
    }
}
