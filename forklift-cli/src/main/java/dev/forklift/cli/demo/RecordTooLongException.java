package dev.forklift.cli.demo;

import java.util.Locale;

/**
 * A line of a demo source is longer than one record may be ({@link DemoProducer#MAX_RECORD_BYTES}). Thrown in a
 * producer process; the demo prints its message as the reason the run failed.
 */
public final class RecordTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source the source's name.
     * @param line   the line number, from 1.
     */
    public RecordTooLongException(final String source, final long line) {
        super(String.format(Locale.ROOT, "source %s, line %,d: longer than a record may be (%,d bytes of UTF-8; the "
            + "demo makes one record of each line)", source, line, DemoProducer.MAX_RECORD_BYTES));
    }
}
