package dev.forklift.cli.run;

import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.PlainWriters;
import dev.forklift.pool.PoolBuilder;
import dev.forklift.process.internal.StartupTrace;

import java.io.PrintWriter;

/**
 * {@code forklift run} without picocli's model of the command, when its command line is plain
 * ({@link PlainRunArgs}) and its options and paths pass the command's own checks: the same command, the same
 * output, with the 160-285 ms picocli takes to build the model by reflection left out. Anything else declines
 * ({@link #execute} returns null) before anything is printed or opened, and {@code Main} runs the command line
 * through picocli, which then prints its help, version or error exactly as without this path.
 *
 * <p>{@value #ENABLED_PROPERTY}{@code =false} turns it off. Called by {@code Main.main} on the main thread (never by
 * {@code Main.execute}, whose callers may redirect picocli's output); blocks for as long as the run does.
 */
public final class PlainRun {
    /** System property: {@code false} sends every command line through picocli. */
    public static final String ENABLED_PROPERTY = "forklift.cli.plainRun";

    private PlainRun() {
    }

    /**
     * @param args the command line, as {@code main} got it.
     * @return the run's exit code, or null when it declined (nothing was printed: run the command line through
     *     picocli).
     * @throws Error as the command throws it (picocli lets an {@code Error} through too).
     */
    public static Integer execute(final String[] args) {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return null;
        }
        final PlainRunArgs parsed = PlainRunArgs.parse(args);
        if (parsed == null) {
            return null;
        }
        final PrintWriter out = PlainWriters.out();
        final PrintWriter err = PlainWriters.err();
        final RunCommand command = RunCommand.plain(parsed, out, err);
        final PoolBuilder builder = command.preparePlain();
        if (builder == null) {
            return null;
        }
        try {
            return command.runPlain(builder);
        } catch (final Exception ex) {
            // What Main's execution-exception handler prints for a command's exception.
            err.println("forklift run: " + ex.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
            StartupTrace.stamp("cli run: plain, done");
        }
    }
}
