package dev.forklift.sync;

import dev.forklift.codec.Codec;
import dev.forklift.sync.internal.SyncFile;
import dev.forklift.sync.internal.SyncKind;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * The serialized form of every robust primitive: its kind, file and name, which re-open the primitive in the process
 * that deserializes it (how a primitive passed as an argument arrives in a child process). A condition carries its
 * lock's form too.
 */
final class SyncRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String path;
    private final String name;
    /** A condition's lock: written as its reference, read back as the lock itself. */
    private final Serializable bound;
    private final BarrierAction action;
    private final Codec<?> keyCodec;
    private final Codec<?> valueCodec;

    SyncRef(final SyncFile file, final SyncRef bound) {
        this(file, bound, null);
    }

    SyncRef(final SyncFile file, final SyncRef bound, final BarrierAction action) {
        this(file, bound, action, null, null);
    }

    SyncRef(final SyncFile file, final SyncRef bound, final BarrierAction action, final Codec<?> keyCodec,
        final Codec<?> valueCodec) {
        this.kind = file.kind().name();
        this.path = file.path().toString();
        this.name = file.name();
        this.bound = bound;
        this.action = action;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
    }

    SyncFile open() {
        return SyncFile.open(Path.of(path), SyncKind.valueOf(kind), name);
    }

    @java.io.Serial
    @SuppressWarnings("unchecked")
    private Object readResolve() throws java.io.ObjectStreamException {
        final SyncFile file = open();
        switch (file.kind()) {
            case MUTEX:
                return new SharedMutex(file);
            case REENTRANT_LOCK:
                return new SharedReentrantLock(file);
            case SEMAPHORE:
            case BOUNDED_SEMAPHORE:
                return new SharedSemaphore(file);
            case EVENT:
                return new SharedEvent(file);
            case BARRIER:
                return new SharedBarrier(file, action);
            case SHARED_MAP:
                return new SharedMap<>(file, (Codec<Object>) keyCodec, (Codec<Object>) valueCodec);
            case CONDITION:
                return new SharedCondition(file, (SharedLock) bound);
            default:
                throw new java.io.InvalidObjectException("no primitive of kind " + kind);
        }
    }
}
