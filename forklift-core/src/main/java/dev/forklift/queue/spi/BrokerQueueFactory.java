package dev.forklift.queue.spi;

import dev.forklift.codec.Codec;
import dev.forklift.queue.Queue;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Service interface of a module that carries a {@link Queue} over a message broker ({@code forklift-cluster}):
 * found through {@link ServiceLoader} by {@code Queue.builder(type).broker(url).build()}, so that the core keeps no
 * runtime dependency on a broker client. Called from the thread that builds the queue.
 */
public interface BrokerQueueFactory {
    /**
     * Opens (creating when absent) the broker queue of that name.
     *
     * @param brokerUrl       the broker's URL, such as {@code tcp://host:61616}.
     * @param name            the queue's name, the same in every process that shares it.
     * @param type            the item type.
     * @param codec           how items are encoded.
     * @param capacity        the most items the queue holds before {@code put} waits.
     * @param maxMessageBytes the largest encoded item.
     * @param <T>             the item type.
     * @return the queue, open.
     * @throws dev.forklift.ForkliftException if the broker cannot be reached or refuses the credentials.
     */
    <T> Queue<T> open(String brokerUrl, String name, Class<T> type, Codec<T> codec, int capacity,
        int maxMessageBytes);

    /**
     * @return the first factory on the class path.
     * @throws IllegalStateException naming the missing module when there is none.
     */
    static BrokerQueueFactory find() {
        final Iterator<BrokerQueueFactory> found = ServiceLoader.load(BrokerQueueFactory.class).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("a queue with broker(url) needs the module forklift-cluster"
                + " (dev.forklift:forklift-cluster) on the class path; no " + BrokerQueueFactory.class.getName()
                + " was found");
        }
        return found.next();
    }
}
