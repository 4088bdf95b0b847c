package dev.forklift.cli;

/** Exit codes of every {@code forklift} command. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The job failed, or found a problem (such as a lost item). */
    public static final int FAILURE = 1;
    /** Invalid options or arguments; one line naming the problem and a hint where the help is were printed. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
