package dev.forklift.pool.spi;

import dev.forklift.pool.Pool;
import dev.forklift.pool.internal.PoolConfig;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Service interface of a module that runs a {@link Pool} over a message broker ({@code forklift-cluster}): found
 * through {@link ServiceLoader} by {@code Pool.builder().broker(url).build()}, so that the core keeps no runtime
 * dependency on a broker client. Called in the caller's process, from the thread that builds the pool.
 */
public interface BrokerPoolFactory {
    /**
     * Connects to the broker and returns a pool whose tasks run on the worker hosts pulling from it.
     *
     * @param config    the pool settings as built.
     * @param brokerUrl the broker's URL, such as {@code tcp://host:61616}.
     * @return the running pool.
     * @throws dev.forklift.ForkliftException if the broker cannot be reached or refuses the credentials.
     */
    Pool start(PoolConfig config, String brokerUrl);

    /**
     * @return the first factory on the class path.
     * @throws IllegalStateException naming the missing module when there is none.
     */
    static BrokerPoolFactory find() {
        final Iterator<BrokerPoolFactory> found = ServiceLoader.load(BrokerPoolFactory.class).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("a pool with broker(url) needs the module forklift-cluster"
                + " (dev.forklift:forklift-cluster) on the class path; no " + BrokerPoolFactory.class.getName()
                + " was found");
        }
        return found.next();
    }
}
