package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;

import java.io.Serializable;

/**
 * What a worker needs besides its queues, sent as a child-process argument. Internal; not API.
 *
 * @param allowList       the allow-list of the value codec.
 * @param maxMessageBytes the largest frame.
 * @param initializer     the serialized initializer, or null.
 */
public record WorkerSettings(AllowList allowList, int maxMessageBytes, byte[] initializer) implements Serializable {
    @java.io.Serial
    private Object writeReplace() {
        return new Form(this);
    }

    /**
     * The serialized form: an ordinary class, because decoding a record makes a fresh JVM build method handles
     * for its constructor (about 30 ms of every worker's start, before it can take its first task).
     */
    static final class Form implements Serializable {
        private static final long serialVersionUID = 1L;
        private final AllowList allowList;
        private final int maxMessageBytes;
        private final byte[] initializer;

        Form(final WorkerSettings settings) {
            allowList = settings.allowList;
            maxMessageBytes = settings.maxMessageBytes;
            initializer = settings.initializer;
        }

        @java.io.Serial
        private Object readResolve() {
            return new WorkerSettings(allowList, maxMessageBytes, initializer);
        }
    }
}
