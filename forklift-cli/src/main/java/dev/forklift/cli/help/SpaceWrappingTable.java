package dev.forklift.cli.help;

import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;

/**
 * A picocli text table that wraps long text at spaces only. Picocli's own table breaks lines where
 * {@link java.text.BreakIterator} allows, which is also after a dot or before a parenthesis, so that a name such as
 * {@code java.util.function.Function} or {@code toLowerCase(Locale.ROOT)} could be cut across two lines. A word
 * longer than its whole column is still cut, as it must be. Used by {@link WrappingHelp} on the parent's main thread.
 */
final class SpaceWrappingTable extends TextTable {
    /**
     * @param colorScheme the colour scheme of the help.
     * @param columns     the columns.
     */
    SpaceWrappingTable(final ColorScheme colorScheme, final Column... columns) {
        super(colorScheme, columns);
    }

    /**
     * @param colorScheme the colour scheme of the help.
     * @param widths      the width of each column; the last wraps, the others span into the next.
     * @return a table like {@code TextTable.forColumnWidths}.
     */
    static SpaceWrappingTable ofWidths(final ColorScheme colorScheme, final int... widths) {
        final Column[] columns = new Column[widths.length];
        for (int i = 0; i < widths.length; i++) {
            columns[i] = new Column(widths[i], 0, i == widths.length - 1 ? Column.Overflow.WRAP : Column.Overflow.SPAN);
        }
        return new SpaceWrappingTable(colorScheme, columns);
    }

    @Override
    public Cell putValue(final int row, final int col, final Text value) {
        final Column column = columns()[col];
        if (column.overflow != Column.Overflow.WRAP || value == null || value.plainString().isEmpty()) {
            return super.putValue(row, col, value);
        }
        Text rest = value;
        int currentRow = row;
        int room = column.width - column.indent;
        String indent = "";
        while (true) {
            final String plain = rest.plainString();
            final int cut = cut(plain, Math.max(1, room));
            final Cell last = super.putValue(currentRow, col, indent.isEmpty() ? rest.substring(0, cut)
                : rest.substring(0, 0).concat(indent).concat(rest.substring(0, cut)));
            int next = cut;
            while (next < plain.length() && plain.charAt(next) == ' ') {
                next++;
            }
            if (next >= plain.length()) {
                return last;
            }
            rest = rest.substring(next);
            addEmptyRow();
            currentRow = rowCount() - 1;
            indent = " ".repeat(Math.max(0, indentWrappedLines));
            room = column.width - column.indent - indent.length();
        }
    }

    /** @return how many characters of {@code text} go on a line of {@code room}: up to its last space that fits. */
    private static int cut(final String text, final int room) {
        if (text.length() <= room) {
            return text.length();
        }
        int space = text.lastIndexOf(' ', room);
        while (space > 0 && text.charAt(space - 1) == ' ') {
            space--;
        }
        return space > 0 ? space : room;
    }
}
