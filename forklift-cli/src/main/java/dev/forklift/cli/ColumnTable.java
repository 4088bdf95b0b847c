package dev.forklift.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of text printed with each column as wide as its widest cell (header included), one space between
 * columns, so that a long role or name never pushes the cells after it out of their column. Text columns are
 * aligned left, the columns marked {@link #alignRight} right; the last column is not padded.
 *
 * <p>Used by the commands that print tables ({@code forklift ps}, with and without {@code --broker}). Not
 * thread-safe: filled and printed by one thread.
 */
public final class ColumnTable {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /** @param headers the column headers; at least one. */
    public ColumnTable(final String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = headers.clone();
        this.right = new boolean[headers.length];
    }

    /**
     * @param columns indexes of the columns aligned right (numbers).
     * @return this table.
     */
    public ColumnTable alignRight(final int... columns) {
        for (final int column : columns) {
            right[column] = true;
        }
        return this;
    }

    /**
     * @param cells one cell per column, printed with {@link String#valueOf(Object)}.
     * @throws IllegalArgumentException if the count of cells is not the count of columns.
     */
    public void add(final Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("a row of " + headers.length + " columns got " + cells.length
                + " cells: " + Arrays.toString(cells));
        }
        final String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
    }

    /**
     * Prints the header line, then the rows, each line after {@code indent}.
     *
     * @param out    where.
     * @param indent what each line starts with.
     */
    public void print(final PrintWriter out, final String indent) {
        final int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (final String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printLine(out, indent, headers, widths);
        for (final String[] row : rows) {
            printLine(out, indent, row, widths);
        }
    }

    private void printLine(final PrintWriter out, final String indent, final String[] cells, final int[] widths) {
        final StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            final boolean last = i == cells.length - 1;
            final String pad = " ".repeat(widths[i] - cells[i].length());
            if (right[i]) {
                line.append(pad).append(cells[i]);
            } else {
                line.append(cells[i]).append(last ? "" : pad);
            }
            if (!last) {
                line.append(' ');
            }
        }
        out.println(line);
    }
}
