package dev.forklift.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code forklift completion bash|zsh}: prints a script that completes the {@code forklift} commands and their
 * options in that shell (picocli's generated script; zsh runs it through {@code bashcompinit}, which the script
 * loads itself). Runs in the parent only; prints to standard output.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a script that completes forklift's commands and options in bash or zsh.",
    footer = {"", "Load it in the current shell:", "  source <(forklift completion bash)",
        "or for every new shell, add that line to ~/.bashrc (with zsh, 'forklift completion zsh' to ~/.zshrc).",
        "The forklift launcher must be on the PATH under the name forklift."})
public final class CompletionCommand implements Callable<Integer> {
    /** The shells a script is printed for. */
    static final List<String> SHELLS = List.of("bash", "zsh");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh.")
    private String shell;

    @Override
    public Integer call() {
        if (!SHELLS.contains(shell)) {
            throw OptionValues.problem(spec.commandLine(), "SHELL", shell, "give bash or zsh");
        }
        final CommandLine root = spec.root().commandLine();
        final String script = AutoComplete.bash(root.getCommandName(), root);
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The shells, for the completion of this command itself. */
    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SHELLS.iterator();
        }
    }
}
