package dev.forklift.dashboard;

/**
 * Where the dashboard's cluster view comes from: a broker's worker hosts and queues. The dashboard depends on no
 * broker client; the code that knows the cluster implements this (the CLI does, over {@code forklift-cluster}'s
 * {@code ClusterStatus}) and hands it to {@link Dashboard.Builder#cluster}.
 *
 * <p>Called from the dashboard's own cluster thread only, about once a sample period, never from an HTTP thread
 * or the board sampler, so a slow or unreachable broker delays no page and no other view.
 */
public interface ClusterSource {
    /** @return what the page calls the cluster, such as the broker's address without its credentials. */
    String name();

    /**
     * Reads the cluster once. May block, for a bounded time (the implementation's connect and request timeouts).
     *
     * @return the hosts and queues now.
     * @throws Exception if the cluster cannot be read; the page shows the message and the last good read.
     */
    ClusterView read() throws Exception;
}
