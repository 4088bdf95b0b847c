package dev.forklift.cluster.internal;

import dev.forklift.pool.Pool;
import dev.forklift.pool.internal.PoolConfig;
import dev.forklift.pool.spi.BrokerPoolFactory;

/** Found by {@code Pool.builder().broker(url)} through {@link java.util.ServiceLoader}: starts a {@link ClusterPool}. */
public final class ClusterPoolFactory implements BrokerPoolFactory {
    @Override
    public Pool start(final PoolConfig config, final String brokerUrl) {
        return ClusterPool.start(config, brokerUrl);
    }
}
