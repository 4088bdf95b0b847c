package dev.forklift.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage help cuts no word across lines and shows each command's whole summary in the command list. */
class HelpTextTest {
    @Test
    void everyWordOfEveryHelpStaysWholeAtUsualWidths() {
        for (final int width : new int[] {80, 100, 120}) {
            final CommandLine root = Main.newCommandLine();
            root.setUsageHelpWidth(width);
            for (final CommandLine command : commands(root)) {
                final Set<String> shown = words(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
                final List<String> written = writtenWords(command.getCommandSpec());
                assertThat(written).as("words of %s", command.getCommandSpec().qualifiedName()).isNotEmpty();
                assertThat(shown).as("help of '%s' at width %d", command.getCommandSpec().qualifiedName(), width)
                    .containsAll(written);
            }
        }
    }

    @Test
    void theCommandListShowsEachCommandsWholeSummary() {
        final String help = Main.newCommandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
        final String list = help.substring(help.indexOf("Commands:")).replaceAll("\\s+", " ");
        for (final CommandLine command : Main.newCommandLine().getSubcommands().values()) {
            final CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            final String[] paragraphs = usage.header().length > 0 ? usage.header() : usage.description();
            final String summary = String.join(" ", paragraphs[0].split("\\s+"));
            assertThat(summary).as("summary of %s is a sentence", command.getCommandName()).endsWith(".");
            assertThat(list).contains(command.getCommandName() + " " + summary);
        }
    }

    /**
     * {@code forklift --help} and {@code forklift run ...} build the model of the named command only: the top-level
     * help they print is the one of the full model, word for word, and a named command gets its whole model.
     */
    @Test
    void aCommandLineBuildsOnlyTheCommandItNamesAndPrintsTheSameHelp() {
        final String full = Main.newCommandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(Main.newCommandLine(new String[] {"--help"}).getUsageMessage(CommandLine.Help.Ansi.OFF))
            .isEqualTo(full);
        final CommandLine forRun = Main.newCommandLine(new String[] {"run", "--task", "x", "in.txt"});
        assertThat(forRun.getSubcommands().get("run").getCommandSpec().options()).hasSizeGreaterThan(5);
        assertThat(forRun.getSubcommands().get("wordcount").getCommandSpec().options()).isEmpty();
        assertThat(forRun.getSubcommands().get("run").getUsageMessage(CommandLine.Help.Ansi.OFF))
            .isEqualTo(Main.newCommandLine().getSubcommands().get("run").getUsageMessage(CommandLine.Help.Ansi.OFF));
        assertThat(Main.newCommandLine(new String[] {"help", "run"}).getSubcommands().get("run").getCommandSpec()
            .options()).hasSizeGreaterThan(5);
    }

    private static List<CommandLine> commands(final CommandLine root) {
        final List<CommandLine> all = new ArrayList<>();
        all.add(root);
        root.getSubcommands().values().stream().filter(c -> !c.getCommandName().equals("help")).forEach(all::add);
        return all;
    }

    /** The words the help is written with: descriptions, footers, option and parameter descriptions, exit codes. */
    private static List<String> writtenWords(final CommandSpec spec) {
        final List<String> texts = new ArrayList<>();
        texts.addAll(Arrays.asList(spec.usageMessage().description()));
        texts.addAll(Arrays.asList(spec.usageMessage().footer()));
        texts.addAll(spec.usageMessage().exitCodeList().values());
        for (final ArgSpec arg : spec.args()) {
            texts.addAll(Arrays.asList(arg.description()));
        }
        return texts.stream().flatMap(text -> Arrays.stream(text.split("\\s+|%n")))
            .filter(word -> !word.isEmpty() && !word.contains("${")).distinct().collect(Collectors.toList());
    }

    private static Set<String> words(final String text) {
        return new HashSet<>(Arrays.asList(text.split("\\s+")));
    }
}
