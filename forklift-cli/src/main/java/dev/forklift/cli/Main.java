package dev.forklift.cli;

import dev.forklift.cli.chaos.ChaosCommand;
import dev.forklift.cli.demo.DemoCommand;
import dev.forklift.cli.help.WrappingHelp;
import dev.forklift.cli.ps.PsCommand;
import dev.forklift.cli.run.RunCommand;
import dev.forklift.cli.wordcount.WordCountCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code forklift} command. Exit codes: {@value ExitCodes#OK} success, {@value ExitCodes#FAILURE} the job
 * failed or found a problem, {@value ExitCodes#USAGE} invalid options (one line on standard error naming the
 * problem, then a hint such as {@code see 'forklift run --help'}).
 */
@Command(name = "forklift", mixinStandardHelpOptions = true, version = "forklift 0.1.0",
    description = "Multiprocessing for the JVM: child JVMs, shared-memory queues, pools and pipelines.",
    subcommands = {DemoCommand.class, RunCommand.class, WordCountCommand.class, PsCommand.class, ChaosCommand.class,
        dev.forklift.cli.cluster.BrokerCommand.class, dev.forklift.cli.cluster.WorkerCommand.class,
        CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the command-line arguments.
     */
    public static void main(final String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line in this JVM.
     *
     * @param args the command-line arguments.
     * @return the exit code.
     */
    public static int execute(final String... args) {
        return newCommandLine().execute(args);
    }

    /** @return the configured command line, for callers that redirect its output. */
    public static CommandLine newCommandLine() {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setHelpFactory(WrappingHelp::new);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof CommandLine.ParameterException) {
                // Option values checked by the command itself: a usage error like any parse error.
                return cmd.getParameterExceptionHandler().handleParseException((CommandLine.ParameterException) ex,
                    parseResult.originalArgs().toArray(new String[0]));
            }
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            return ExitCodes.FAILURE;
        });
        return commandLine;
    }

    /**
     * Prints the error on one line (the command's full name once, such as {@code forklift run: ...}), suggestions
     * for a mistyped option or command, and where the help is; not the whole help, which would bury the message.
     *
     * @return {@value ExitCodes#USAGE}.
     */
    private static int usageError(final CommandLine.ParameterException ex, final String[] args) {
        final CommandLine cmd = ex.getCommandLine();
        final java.io.PrintWriter err = cmd.getErr();
        final String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + String.valueOf(ex.getMessage()).replace('\n', ' ').strip());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("see '" + name + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command, such as 'forklift demo'");
    }
}
