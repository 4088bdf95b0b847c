package dev.forklift.queue.internal;

import dev.forklift.codec.Codec;
import dev.forklift.queue.WaitStrategy;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The serialized form of a {@link SharedQueue}: enough to attach to it from another process.
 *
 * @param <T> the type of the items.
 */
final class QueueRef<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String name;
    private final String elementTypeName;
    private final Codec<T> codec;
    private final WaitStrategy waitStrategy;
    private final QueueTimeouts timeouts;

    QueueRef(final Path path, final String name, final String elementTypeName, final Codec<T> codec,
        final WaitStrategy waitStrategy, final QueueTimeouts timeouts) {
        this.path = path.toString();
        this.name = name;
        this.elementTypeName = elementTypeName;
        this.codec = codec;
        this.waitStrategy = waitStrategy;
        this.timeouts = timeouts;
    }

    QueueTimeouts timeouts() {
        return timeouts;
    }

    Path path() {
        return Paths.get(path);
    }

    String name() {
        return name;
    }

    String elementTypeName() {
        return elementTypeName;
    }

    Codec<T> codec() {
        return codec;
    }

    WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    private Object readResolve() {
        return SharedQueue.attach(this);
    }
}
