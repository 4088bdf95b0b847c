package dev.forklift.cli;

import dev.forklift.cli.chaos.ChaosCommand;
import dev.forklift.cli.dashboard.DashboardCommand;
import dev.forklift.cli.demo.DemoCommand;
import dev.forklift.cli.help.WrappingHelp;
import dev.forklift.cli.ps.PsCommand;
import dev.forklift.cli.run.PlainRun;
import dev.forklift.cli.run.RunCommand;
import dev.forklift.cli.wordcount.PlainWordCount;
import dev.forklift.cli.wordcount.WordCountCommand;
import dev.forklift.process.internal.StartupTrace;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The {@code forklift} command. Exit codes: {@value ExitCodes#OK} success, {@value ExitCodes#FAILURE} the job
 * failed or found a problem, {@value ExitCodes#USAGE} invalid options (one line on standard error naming the
 * problem, then a hint such as {@code see 'forklift run --help'}).
 */
@Command(name = "forklift", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
    description = "Multiprocessing for the JVM: child JVMs, shared-memory queues, pools and pipelines.",
    subcommands = {})
public final class Main implements Runnable {
    /**
     * The sub-commands, in help order ({@code help} is added after them). A command line builds the picocli model
     * (options, reflection over their fields) only of the command it names; the others get a placeholder with the
     * name and description of their {@code @Command}, which is all the top-level help and the suggestions for a
     * mistyped command use. {@code help} and {@code completion} get every model. This keeps {@code forklift
     * --help} and {@code forklift run} from building five models they do not use (docs/benchmarks.md, Start-up).
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, RunCommand.class,
        WordCountCommand.class, PsCommand.class, ChaosCommand.class, DashboardCommand.class,
        dev.forklift.cli.cluster.BrokerCommand.class, dev.forklift.cli.cluster.WorkerCommand.class, CompletionCommand.class);
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the command-line arguments.
     */
    public static void main(final String[] args) {
        StartupTrace.stamp("cli main");
        // The children of run and wordcount boot while the command line is built and checked (EarlyLaunch).
        final int exitCode;
        try (EarlyLaunch early = EarlyLaunch.start(args)) {
            LibraryLogging.quietUnlessConfigured();
            // A plain `forklift run` runs without picocli's model of the command (PlainRun); anything else, picocli.
            // So does a plain `forklift wordcount` (PlainWordCount).
            Integer plain = PlainRun.execute(args);
            if (plain == null) {
                plain = PlainWordCount.execute(args);
            }
            exitCode = plain != null ? plain : execute(args);
        }
        if (ArchiveTraining.requested()) {
            ArchiveTraining.loadForkliftClasses();
        }
        if (StartupTrace.enabled()) {
            StartupTrace.stamp("cli exit " + exitCode); // the concatenation's first use costs 4-12 ms: only when tracing
        }
        System.exit(exitCode);
    }

    /**
     * Runs the command line in this JVM.
     *
     * @param args the command-line arguments.
     * @return the exit code.
     */
    public static int execute(final String... args) {
        final CommandLine commandLine = newCommandLine(args);
        StartupTrace.stamp("cli command line built");
        return commandLine.execute(args);
    }

    /** @return the configured command line with the model of every sub-command, for callers that redirect its output. */
    public static CommandLine newCommandLine() {
        return newCommandLine((String[]) null);
    }

    /**
     * @param args the command line it will execute, or null for the model of every sub-command.
     * @return the configured command line, with the full model of the sub-command that {@code args} names only.
     */
    public static CommandLine newCommandLine(final String[] args) {
        final CommandLine commandLine = new CommandLine(new Main());
        final String named = args == null ? null : namedCommand(args);
        final boolean every = args == null || "help".equals(named) || "completion".equals(named);
        for (final Class<?> type : SUBCOMMANDS) {
            final Command command = type.getAnnotation(Command.class);
            if (every || command.name().equals(named)) {
                commandLine.addSubcommand(command.name(), newInstance(type));
            } else {
                final CommandLine.Model.CommandSpec placeholder = CommandLine.Model.CommandSpec.create()
                    .name(command.name());
                placeholder.usageMessage().description(command.description()).header(command.header());
                commandLine.addSubcommand(command.name(), placeholder);
            }
        }
        // Every sub-command's -V/--version names the build as `forklift --version` does (without a provider of its
        // own, picocli printed nothing for `forklift run --version`).
        final BuildInfo buildInfo = new BuildInfo();
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(buildInfo));
        commandLine.addSubcommand("help", new CommandLine.HelpCommand());
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

    /** @return the first argument that is not an option (the sub-command's name), or null. */
    private static String namedCommand(final String[] args) {
        for (final String arg : args) {
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    private static Object newInstance(final Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (final ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot create command " + type.getName() + ": " + ex, ex);
        }
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
