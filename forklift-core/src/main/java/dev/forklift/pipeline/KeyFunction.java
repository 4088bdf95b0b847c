package dev.forklift.pipeline;

import java.io.Serializable;

/**
 * Extracts the routing key of an item, for {@link Routing#byKey}. Serializable, called in the process that emits
 * the item; it must be deterministic and its keys must have a stable {@link Object#hashCode()} across JVMs
 * (strings, numbers, records of those: not identity hash codes or enums).
 *
 * @param <T> the type of the items.
 */
@FunctionalInterface
public interface KeyFunction<T> extends Serializable {
    /**
     * @param item the item.
     * @return its key, not null.
     */
    Object keyOf(T item);
}
