package dev.forklift.cluster.internal;

import dev.forklift.codec.Codec;
import dev.forklift.queue.Queue;

/** Found by {@code Queue.builder(type).broker(url)} through {@link java.util.ServiceLoader}: opens a {@link BrokerQueue}. */
public final class BrokerQueueFactory implements dev.forklift.queue.spi.BrokerQueueFactory {
    @Override
    public <T> Queue<T> open(final String brokerUrl, final String name, final Class<T> type, final Codec<T> codec,
        final int capacity, final int maxMessageBytes) {
        return new BrokerQueue<>(brokerUrl, name, type, codec, capacity, maxMessageBytes);
    }
}
