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
}
