package dev.forklift.sync.internal;

/**
 * The kinds of robust primitive, each with the prefix of its files in the shared-memory directory (so that
 * {@code open(name)} finds only its own kind, and {@code forklift ps} can tell them apart).
 */
public enum SyncKind {
    MUTEX("mutex"),
    REENTRANT_LOCK("reentrantlock"),
    SEMAPHORE("semaphore"),
    BOUNDED_SEMAPHORE("boundedsemaphore"),
    CONDITION("condition"),
    EVENT("event"),
    BARRIER("barrier"),
    SHARED_MAP("sharedmap");

    private final String fileKind;

    SyncKind(final String fileKind) {
        this.fileKind = fileKind;
    }

    /** @return the file prefix, 1 to 16 lower-case letters. */
    public String fileKind() {
        return fileKind;
    }

    /** @return the code stored in the header. */
    public int code() {
        return ordinal() + 1;
    }

    /** @return a readable name, such as "reentrant lock". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /**
     * @param code a header's kind code.
     * @return the kind, or null for an unknown code.
     */
    public static SyncKind ofCode(final int code) {
        return code >= 1 && code <= values().length ? values()[code - 1] : null;
    }
}
