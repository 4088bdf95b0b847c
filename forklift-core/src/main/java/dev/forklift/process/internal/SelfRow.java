package dev.forklift.process.internal;

/**
 * Which status row describes this process: its row in its parent's board when it is a Forklift child, else row 0
 * of its own board.
 *
 * <p>Internal; not API.
 */
public final class SelfRow {
    private static volatile StatusRow childRow;

    private SelfRow() {
    }

    static void setChildRow(final StatusRow row) {
        childRow = row;
    }

    /** @return the row describing this process, creating this process's board if it needs one. */
    public static StatusRow get() {
        final StatusRow row = childRow;
        return row != null ? row : StatusBoard.current().self();
    }
}
