package dev.forklift.bench.queue;

import java.io.Serializable;

/**
 * The small record of the QOBJ case; its Python peer is the tuple {@code (id, 21.5, "sensor-17")}.
 *
 * @param id     a sequence number.
 * @param value  a measurement.
 * @param sensor the sensor's name.
 */
public record Reading(long id, double value, String sensor) implements Serializable {
}
