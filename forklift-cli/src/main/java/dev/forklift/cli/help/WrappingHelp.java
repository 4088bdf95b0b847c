package dev.forklift.cli.help;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;

/**
 * The usage help of every {@code forklift} command: picocli's layout, with text wrapped at spaces only
 * ({@link SpaceWrappingTable}), so that no word (a class name, {@code toLowerCase(Locale.ROOT)}) is cut across
 * lines, and a command list that shows each command's whole summary (the first paragraph of its description).
 * Installed by {@code Main} with {@link CommandLine#setHelpFactory}; used on the main thread while help is printed.
 */
public final class WrappingHelp extends Help {
    /**
     * @param commandSpec the command.
     * @param colorScheme the colours.
     */
    public WrappingHelp(final CommandSpec commandSpec, final ColorScheme colorScheme) {
        super(commandSpec, colorScheme);
    }

    private int width() {
        return commandSpec().usageMessage().width();
    }

    @Override
    public Layout createDefaultLayout(final List<OptionSpec> options, final List<PositionalParamSpec> positionals,
        final ColorScheme scheme) {
        final int longOptionsWidth = calcLongOptionColumnWidth(options, positionals, scheme);
        // The columns of picocli's TextTable.forDefaultColumns: "* -c, --create   Creates a ...".
        final SpaceWrappingTable table = new SpaceWrappingTable(scheme,
            new Column(2, 0, Column.Overflow.TRUNCATE),
            new Column(2, 0, Column.Overflow.SPAN),
            new Column(1, 0, Column.Overflow.TRUNCATE),
            new Column(longOptionsWidth, 1, Column.Overflow.SPAN),
            new Column(width() - 5 - longOptionsWidth, 1, Column.Overflow.WRAP));
        return new Layout(scheme, table, createDefaultOptionRenderer(), createDefaultParameterRenderer());
    }

    @Override
    public String description(final Object... params) {
        return join(commandSpec().usageMessage().description(), params);
    }

    @Override
    public String header(final Object... params) {
        return join(commandSpec().usageMessage().header(), params);
    }

    @Override
    public String footer(final Object... params) {
        return join(commandSpec().usageMessage().footer(), params);
    }

    @Override
    public TextTable createTextTable(final Map<?, ?> map) {
        if (map == null || map.isEmpty()) {
            return SpaceWrappingTable.ofWidths(colorScheme(), 10, width() - 10);
        }
        final int keyLength = Math.min(width() - 4, map.keySet().stream().mapToInt(k -> String.valueOf(k).length())
            .max().orElse(0));
        final SpaceWrappingTable table = new SpaceWrappingTable(colorScheme(),
            new Column(keyLength + 3, 2, Column.Overflow.SPAN),
            new Column(width() - (keyLength + 3), 2, Column.Overflow.WRAP));
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            table.addRowValues(format(String.valueOf(entry.getKey())), format(String.valueOf(entry.getValue())));
        }
        return table;
    }

    @Override
    public String commandList(final Map<String, Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        final int nameLength = Math.min(width() / 2, subcommands.keySet().stream().mapToInt(String::length).max()
            .orElse(0));
        final SpaceWrappingTable table = new SpaceWrappingTable(colorScheme(),
            new Column(nameLength + 2, 2, Column.Overflow.SPAN),
            new Column(width() - (nameLength + 2), 2, Column.Overflow.WRAP));
        for (final Help help : subcommands.values()) {
            final CommandLine.Model.UsageMessageSpec usage = help.commandSpec().usageMessage();
            final String[] summary = usage.header().length > 0 ? usage.header() : usage.description();
            table.addRowValues(help.commandNamesText(", "),
                colorScheme().text(format(summary.length > 0 ? summary[0] : "")));
        }
        return table.toString();
    }

    @Override
    protected String insertSynopsisCommandName(final int synopsisHeadingLength, final Ansi.Text details) {
        final String commandName = commandSpec().qualifiedName();
        int indent = synopsisHeadingLength + commandName.length() + 1;
        if (indent > commandSpec().usageMessage().synopsisAutoIndentThreshold() * width()) {
            indent = commandSpec().usageMessage().synopsisIndent() < 0 ? synopsisHeadingLength
                : commandSpec().usageMessage().synopsisIndent();
        }
        final SpaceWrappingTable table = SpaceWrappingTable.ofWidths(colorScheme(), width());
        table.indentWrappedLines = indent;
        final Ansi.Text padding = Ansi.OFF.new Text("X".repeat(synopsisHeadingLength), colorScheme());
        table.addRowValues(padding.concat(colorScheme().commandText(commandName)).concat(details));
        return table.toString().substring(synopsisHeadingLength);
    }

    /** Picocli's {@code Help.join}: each value formatted and wrapped to the usage width, without indent. */
    private String join(final String[] values, final Object... params) {
        if (values == null || values.length == 0) {
            return "";
        }
        final SpaceWrappingTable table = SpaceWrappingTable.ofWidths(colorScheme(), width());
        table.indentWrappedLines = 0;
        for (final String value : values) {
            table.addRowValues(format(value, params));
        }
        return table.toString();
    }

    private static String format(final String text, final Object... params) {
        try {
            return text == null ? "" : String.format(text, params);
        } catch (final IllegalFormatException ex) {
            return text;
        }
    }
}
