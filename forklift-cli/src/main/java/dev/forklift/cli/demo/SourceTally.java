package dev.forklift.cli.demo;

import java.io.Serializable;

/**
 * What one process saw of one source: how many items, and an order-independent checksum of their contents.
 *
 * @param side     {@code produced} or {@code consumed}.
 * @param pid      the process that counted.
 * @param source   the source.
 * @param items    the number of items.
 * @param checksum the sum of the CRC-32 of every item's text (wrapping), so any lost, duplicated or damaged
 *                 item changes it.
 * @param words    the number of words in those items.
 * @param corrupt  items whose recomputed CRC did not match the producer's (consumers only).
 *
 * @serial exclude
 */
public record SourceTally(String side, long pid, String source, long items, long checksum, long words, long corrupt)
    implements Serializable {
    /** Side name of a producer's tally. */
    public static final String PRODUCED = "produced";
    /** Side name of a consumer's tally. */
    public static final String CONSUMED = "consumed";
}
