package dev.forklift.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Columns as wide as their widest cell, numbers aligned right, the last column not padded. */
class ColumnTableTest {
    private static String print(final ColumnTable table) {
        final StringWriter out = new StringWriter();
        final PrintWriter writer = new PrintWriter(out);
        table.print(writer, "  ");
        writer.flush();
        return out.toString();
    }

    @Test
    void everyColumnIsAsWideAsItsWidestCellHeaderIncluded() {
        final ColumnTable table = new ColumnTable("PID", "ROLE", "ITEMS", "STATE").alignRight(2);
        table.add(7, "pool-worker", "1,024", "running");
        table.add(12345, "x", 3, "done");
        assertThat(print(table)).isEqualTo(String.join(System.lineSeparator(),
            "  PID   ROLE        ITEMS STATE",
            "  7     pool-worker 1,024 running",
            "  12345 x               3 done", ""));
    }

    @Test
    void aHeaderAloneIsPrintedAndAWrongRowIsRefusedNamingItsCells() {
        final ColumnTable table = new ColumnTable("KIND", "NAME");
        assertThat(print(table)).isEqualTo("  KIND NAME" + System.lineSeparator());
        assertThatThrownBy(() -> table.add("mutex")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2 columns got 1 cells: [mutex]");
        assertThatThrownBy(ColumnTable::new).isInstanceOf(IllegalArgumentException.class);
    }
}
