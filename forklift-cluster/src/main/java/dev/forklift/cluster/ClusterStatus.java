package dev.forklift.cluster;

import dev.forklift.ForkliftException;
import dev.forklift.cluster.internal.BrokerConnection;
import dev.forklift.cluster.internal.Protocol;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code forklift ps --broker} shows: the worker hosts that reported in the last few seconds, and the
 * cluster's queues (Forklift's own, by name, with their messages and consumers). Read once; immutable.
 *
 * @param hosts  the live worker hosts, by name.
 * @param queues the broker's {@code forklift.*} queues, by name.
 */
public record ClusterStatus(List<HostStatus> hosts, List<QueueStatus> queues) {
    /**
     * One queue on the broker.
     *
     * @param name      its name ({@code forklift.tasks}, {@code forklift.results.POOL}, {@code forklift.queue.NAME}).
     * @param messages  messages in it (delivered and not yet acknowledged included).
     * @param consumers consumers attached.
     */
    public record QueueStatus(String name, long messages, int consumers) {
    }

    /**
     * Connects, reads, disconnects.
     *
     * @param brokerUrl the broker.
     * @return the status.
     * @throws ForkliftException if the broker cannot be reached or refuses.
     */
    public static ClusterStatus read(final String brokerUrl) {
        try (BrokerConnection connection = new BrokerConnection(BrokerUrl.parse(brokerUrl), 10_000)) {
            final ClientSession session = connection.session();
            try {
                final List<HostStatus> hosts = HostStatus.browse(session);
                final List<QueueStatus> queues = new ArrayList<>();
                for (final String name : queueNames(session)) {
                    if (!name.startsWith("forklift.") || name.equals(Protocol.HOSTS)
                        || name.startsWith(Protocol.FUNCTIONS_PREFIX)) {
                        continue;
                    }
                    final ClientSession.QueueQuery query = session.queueQuery(SimpleString.of(name));
                    if (query.isExists()) {
                        queues.add(new QueueStatus(name, query.getMessageCount(), query.getConsumerCount()));
                    }
                }
                queues.sort((a, b) -> a.name().compareTo(b.name()));
                return new ClusterStatus(hosts, queues);
            } finally {
                session.close();
            }
        } catch (final ActiveMQException ex) {
            throw new ForkliftException("cannot read the cluster's status from " + brokerUrl + ": " + ex, ex);
        }
    }

    private static List<String> queueNames(final ClientSession session) throws ActiveMQException {
        final List<String> names = new ArrayList<>();
        try (ClientRequestor requestor = new ClientRequestor(session, "activemq.management")) {
            final ClientMessage request = session.createMessage(false);
            ManagementHelper.putAttribute(request, ResourceNames.BROKER, "queueNames");
            final ClientMessage reply = requestor.request(request, 5_000);
            if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
                return names;
            }
            final Object result = ManagementHelper.getResult(reply);
            if (result instanceof Object[]) {
                for (final Object name : (Object[]) result) {
                    names.add(String.valueOf(name));
                }
            }
        } catch (final Exception ex) {
            if (ex instanceof ActiveMQException) {
                throw (ActiveMQException) ex;
            }
            throw new ForkliftException("cannot list the broker's queues: " + ex, ex);
        }
        return names;
    }
}
