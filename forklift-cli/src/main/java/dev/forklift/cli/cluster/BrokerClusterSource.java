package dev.forklift.cli.cluster;

import dev.forklift.cluster.ClusterStatus;
import dev.forklift.cluster.HostStatus;
import dev.forklift.dashboard.ClusterSource;
import dev.forklift.dashboard.ClusterView;

import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard's cluster view of a broker ({@code forklift dashboard --broker URL}, {@code run --broker URL
 * --dashboard}): what {@code forklift ps --broker} reads, turned into the dashboard's {@link ClusterView}. It lives
 * here, in the one module that depends on both, so that neither {@code forklift-dashboard} nor
 * {@code forklift-cluster} depends on the other (and the dashboard stays free of the broker's client).
 *
 * <p>Called on the dashboard's cluster thread; each read connects, reads and disconnects (as {@code ps} does),
 * bounded by the cluster's connect and request timeouts.
 */
public final class BrokerClusterSource implements ClusterSource {
    private final String brokerUrl;

    /** @param brokerUrl the broker, as {@code --broker} takes it (credentials included). */
    public BrokerClusterSource(final String brokerUrl) {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException("brokerUrl must be a broker URL such as tcp://host:61616: brokerUrl="
                + brokerUrl);
        }
        this.brokerUrl = brokerUrl;
    }

    /** @return the broker's address without its query (credentials never reach the page). */
    @Override
    public String name() {
        final int query = brokerUrl.indexOf('?');
        return query < 0 ? brokerUrl : brokerUrl.substring(0, query);
    }

    @Override
    public ClusterView read() {
        final ClusterStatus status = ClusterStatus.read(brokerUrl);
        final long nowMs = System.currentTimeMillis();
        final List<ClusterView.Host> hosts = new ArrayList<>();
        for (final HostStatus host : status.hosts()) {
            hosts.add(new ClusterView.Host(host.host(), host.pid(), host.workers(), host.workerPids(),
                host.tasksDone(), host.tasksHeld(), host.sentEpochMs() > 0 ? Math.max(0, nowMs - host.sentEpochMs())
                : -1));
        }
        final List<ClusterView.BrokerQueue> queues = new ArrayList<>();
        for (final ClusterStatus.QueueStatus queue : status.queues()) {
            queues.add(new ClusterView.BrokerQueue(queue.name(), queue.messages(), queue.consumers()));
        }
        return new ClusterView(hosts, queues);
    }
}
