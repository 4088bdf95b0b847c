package dev.forklift.pipeline;

import java.io.Serializable;
import java.util.Objects;

/**
 * How items reach the processes of a stage.
 *
 * <pre>
 *  shared():          emitters --put--> [ one queue ] --take--> any of the P processes (load-balanced)
 *
 *  byKey(k), explicit():
 *                     emitters --put--> [ queue 0 ]   --take--> process 0
 *                              --put--> [ queue 1 ]   --take--> process 1
 *                              --put--> [ queue P-1 ] --take--> process P-1
 *                     byKey: partition = floorMod(k(item).hashCode(), P), so all items of a key meet in one
 *                     process; explicit: the emitter names the partition ({@link Emitter#emit(int, Object)}).
 * </pre>
 *
 * Immutable and serializable.
 *
 * @serial exclude
 */
public final class Routing implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kind of routing. */
    public enum Kind {
        /** One queue shared by every process of the stage. */
        SHARED,
        /** One queue per process, chosen by the hash of a key. */
        BY_KEY,
        /** One queue per process, chosen by the emitter. */
        EXPLICIT
    }

    private static final Routing SHARED = new Routing(Kind.SHARED, null);
    private static final Routing EXPLICIT = new Routing(Kind.EXPLICIT, null);

    private final Kind kind;
    private final KeyFunction<Object> key;

    private Routing(final Kind kind, final KeyFunction<Object> key) {
        this.kind = kind;
        this.key = key;
    }

    /** @return routing through one queue that all processes of the stage take from. */
    public static Routing shared() {
        return SHARED;
    }

    /**
     * @param key extracts the key of an item; all items with equal keys reach the same process.
     * @param <T> the type of the items.
     * @return routing by key partition.
     */
    @SuppressWarnings("unchecked")
    public static <T> Routing byKey(final KeyFunction<T> key) {
        return new Routing(Kind.BY_KEY, (KeyFunction<Object>) Objects.requireNonNull(key, "key"));
    }

    /** @return routing where the emitter names the partition of each item. */
    public static Routing explicit() {
        return EXPLICIT;
    }

    /** @return the kind of routing. */
    public Kind kind() {
        return kind;
    }

    /** @return true when each process of the stage has its own queue. */
    public boolean isPartitioned() {
        return kind != Kind.SHARED;
    }

    /**
     * @param item       an item.
     * @param partitions the number of partitions.
     * @return the partition of the item under {@link Kind#BY_KEY}.
     */
    public int partitionOf(final Object item, final int partitions) {
        if (kind != Kind.BY_KEY) {
            throw new IllegalStateException("partitionOf needs byKey routing, this routing is " + kind);
        }
        return Math.floorMod(Objects.requireNonNull(key.keyOf(item), "key of item").hashCode(), partitions);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
