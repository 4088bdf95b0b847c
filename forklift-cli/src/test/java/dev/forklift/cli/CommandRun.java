package dev.forklift.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code forklift} command run in the test JVM, with its exit code and what it printed.
 *
 * @param exitCode the exit code.
 * @param out      what it printed on standard output.
 * @param err      what it printed on standard error.
 */
public record CommandRun(int exitCode, String out, String err) {
    /**
     * @param args the command-line arguments.
     * @return the run, once the command has returned.
     */
    public static CommandRun of(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.newCommandLine(args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
