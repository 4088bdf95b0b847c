package dev.forklift.codec;

import java.io.ObjectInputFilter;
import java.util.Map;

/**
 * The object codec's reader limits, consulted by {@link java.io.ObjectInputStream} before any class is initialised
 * or any object or array of it is created: the allow-list, the depth, and array lengths. The hash table that
 * {@code HashMap} and {@code HashSet} allocate while they read (a {@code Map.Entry[]}) is allowed, within the array
 * bound; the classes of its keys and values are checked one by one.
 *
 * <p>Depth: at most {@code maxDepth + }{@link ObjectCodec#DESCRIPTOR_LEVELS}. Objects themselves are held to
 * {@code maxDepth} by the writer ({@link GuardedOutputStream}); the extra levels are for what the reader checks
 * deeper than the object it belongs to (a class descriptor's serializable superclasses, a reference to an object
 * already read), so the reader never refuses what the writer wrote, and still bounds its own recursion.
 *
 * <p>Array lengths are bounded by the message's size, so corrupted or hostile bytes cannot make the reader
 * allocate much more than the message: a primitive array of n elements takes n times its width in the stream, an
 * array of references at least one byte per element; the hash tables that {@code HashMap} and {@code HashSet}
 * size from their element count (at most 8 entries per element, with the smallest load factor) get 8 entries per
 * byte. No value the writer accepts exceeds these (other JDK tables are checked by decoding once at encode, see
 * {@link GuardedOutputStream}). The number of references is bounded by the message size too (each takes at least
 * one byte), and by the queue's {@code maxMessageBytes} in turn.
 *
 * <p>One per decode call; single-threaded.
 */
final class DecodeFilter implements ObjectInputFilter {
    private static final int ARRAY_SLACK = 16;
    private static final int ENTRIES_PER_BYTE = 8;

    private final AllowList allowList;
    private final int maxDepth;
    private final long lengthBytes;
    private String rejectedClassName;
    private String rejection;

    /**
     * @param allowList   the classes allowed.
     * @param maxDepth    the codec's {@code maxDepth}.
     * @param lengthBytes the length of the message.
     */
    DecodeFilter(final AllowList allowList, final int maxDepth, final int lengthBytes) {
        this.allowList = allowList;
        this.maxDepth = maxDepth;
        this.lengthBytes = lengthBytes;
    }

    /** @return the name of the class refused by the allow-list, or null. */
    String rejectedClassName() {
        return rejectedClassName;
    }

    /** @return why a limit refused the message, naming the limit, or null. */
    String rejection() {
        return rejection;
    }

    @Override
    public Status checkInput(final FilterInfo info) {
        final long depthLimit = (long) maxDepth + ObjectCodec.DESCRIPTOR_LEVELS;
        if (info.depth() > depthLimit) {
            rejection = "nested deeper than " + depthLimit + " levels (the object codec's maxDepth=" + maxDepth
                + " plus " + ObjectCodec.DESCRIPTOR_LEVELS + " for class descriptors and references)"
                + ObjectCodec.HOW_TO_RAISE;
            return Status.REJECTED;
        }
        final Class<?> type = info.serialClass();
        final long arrayLength = info.arrayLength();
        if (arrayLength >= 0 && arrayLength > maxArrayLength(type)) {
            rejection = "an array of " + arrayLength + " elements of " + (type == null ? "?" : type.getTypeName())
                + " claimed by a message of " + lengthBytes + " bytes, more than it can hold";
            return Status.REJECTED;
        }
        if (type == Map.Entry[].class) {
            return Status.ALLOWED; // the table HashMap and HashSet allocate; every entry's class is checked itself
        }
        if (type != null && !allowList.isAllowed(type)) {
            rejectedClassName = type.getName();
            return Status.REJECTED;
        }
        return type != null ? Status.ALLOWED : Status.UNDECIDED;
    }

    private long maxArrayLength(final Class<?> arrayType) {
        final Class<?> component = arrayType == null ? null : arrayType.getComponentType();
        if (component == null) {
            return lengthBytes + ARRAY_SLACK;
        }
        if (component.isPrimitive()) {
            return lengthBytes / widthBytes(component);
        }
        if (component == Map.Entry.class) {
            return ENTRIES_PER_BYTE * lengthBytes + ARRAY_SLACK;
        }
        return lengthBytes + ARRAY_SLACK;
    }

    private static int widthBytes(final Class<?> primitive) {
        if (primitive == long.class || primitive == double.class) {
            return 8;
        }
        if (primitive == int.class || primitive == float.class) {
            return 4;
        }
        if (primitive == short.class || primitive == char.class) {
            return 2;
        }
        return 1;
    }
}
