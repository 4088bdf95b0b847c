package dev.forklift.cli.demo;

import java.io.Serializable;

/**
 * One processed record on its way from a producer to a consumer.
 *
 * @param source   the name of the source it came from.
 * @param sequence its position in that source, from 0.
 * @param text     the normalised text of the record.
 * @param words    the number of words the producer counted in it.
 * @param crc      the CRC-32 of the text as the producer computed it; the consumer recomputes and compares.
 *
 * @serial exclude
 */
public record Chunk(String source, long sequence, String text, int words, long crc) implements Serializable {
}
