package dev.forklift.pool;

/** Short, safe renderings of inputs for exception messages. */
final class Describe {
    private static final int MAX_CHARS = 200;

    private Describe() {
    }

    static String input(final Object input) {
        String text;
        try {
            text = input instanceof String ? "\"" + input + "\"" : String.valueOf(input);
        } catch (final RuntimeException ex) {
            text = input.getClass().getName() + " (toString threw " + ex + ")";
        }
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...";
    }

    static String signal(final int signal) {
        switch (signal) {
            case 2: return "SIGINT";
            case 6: return "SIGABRT";
            case 9: return "SIGKILL";
            case 11: return "SIGSEGV";
            case 15: return "SIGTERM";
            default: return "signal " + signal;
        }
    }
}
