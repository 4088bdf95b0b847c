package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.codec.ObjectCodec;

import java.io.Serializable;

/**
 * What a worker needs besides its queues, sent as a child-process argument. Internal; not API.
 *
 * @param allowList       the allow-list of the value codec.
 * @param maxMessageBytes the largest frame.
 * @param initializer     the serialized initializer, or null.
 * @param maxObjectDepth  the depth limit of the value codec's object codec, the master's.
 */
public record WorkerSettings(AllowList allowList, int maxMessageBytes, byte[] initializer, int maxObjectDepth)
    implements Serializable {
    /**
     * Settings with the default depth limit of this process ({@link ObjectCodec#defaultMaxDepth()}).
     *
     * @param allowList       the allow-list of the value codec.
     * @param maxMessageBytes the largest frame.
     * @param initializer     the serialized initializer, or null.
     */
    public WorkerSettings(final AllowList allowList, final int maxMessageBytes, final byte[] initializer) {
        this(allowList, maxMessageBytes, initializer, ObjectCodec.defaultMaxDepth());
    }

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
        private final int maxObjectDepth;

        Form(final WorkerSettings settings) {
            allowList = settings.allowList;
            maxMessageBytes = settings.maxMessageBytes;
            initializer = settings.initializer;
            maxObjectDepth = settings.maxObjectDepth;
        }

        @java.io.Serial
        private Object readResolve() {
            return new WorkerSettings(allowList, maxMessageBytes, initializer, maxObjectDepth);
        }
    }
}
