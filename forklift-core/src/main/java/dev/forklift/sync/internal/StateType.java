package dev.forklift.sync.internal;

/**
 * What a shared-state file holds, written as its type code into the header ({@link StateFileDescriptor}); the file
 * kind (the prefix of its name) groups the types as {@code forklift ps} lists them. Internal; not API.
 */
public enum StateType {
    LONG_VALUE(1, "value", 8, "long"),
    INT_VALUE(2, "value", 8, "int"),
    DOUBLE_VALUE(3, "value", 8, "double"),
    LONG_ARRAY(4, "array", 8, "long[]"),
    INT_ARRAY(5, "array", 4, "int[]"),
    DOUBLE_ARRAY(6, "array", 8, "double[]"),
    SEGMENT(7, "segment", 1, "bytes"),
    /** The task counters of a joinable queue ({@link TaskCounters}): 16-byte elements. */
    TASK_COUNTERS(8, "joinable", 16, "tasks");

    private final int code;
    private final String kind;
    private final int elementBytes;
    private final String label;

    StateType(final int code, final String kind, final int elementBytes, final String label) {
        this.code = code;
        this.kind = kind;
        this.elementBytes = elementBytes;
        this.label = label;
    }

    /** @return the code in the header. */
    public int code() {
        return code;
    }

    /** @return the file kind (the prefix of the file name). */
    public String kind() {
        return kind;
    }

    /** @return bytes per element. */
    public int elementBytes() {
        return elementBytes;
    }

    /** @return how {@code forklift ps} names the type. */
    public String label() {
        return label;
    }

    /**
     * @param code a header's type code.
     * @return the type, or null when no type has the code.
     */
    public static StateType ofCode(final int code) {
        for (final StateType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
