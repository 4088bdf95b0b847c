package dev.forklift.cluster;

import dev.forklift.cluster.internal.Protocol;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;

import java.util.ArrayList;
import java.util.List;

/**
 * What a worker host last said about itself on the broker's status queue (sent about every second, expiring after
 * a few): for {@code forklift ps --broker} and a cluster pool's stats. Immutable.
 *
 * @param host        the host's name.
 * @param pid         the host process's pid (on its machine).
 * @param workers     its worker JVMs.
 * @param workerPids  the pids of those running now.
 * @param tasksDone   tasks it finished since it started.
 * @param tasksHeld   tasks it holds now.
 * @param sentEpochMs when the host sent this status, by its clock (0 if the message carries no time).
 */
public record HostStatus(String host, long pid, int workers, List<Long> workerPids, long tasksDone, int tasksHeld,
    long sentEpochMs) {
    /**
     * @param session a session (not used by another thread meanwhile).
     * @return the hosts whose status has not expired, by name.
     */
    public static List<HostStatus> browse(final ClientSession session) {
        final List<HostStatus> hosts = new ArrayList<>();
        try {
            if (!session.queueQuery(SimpleString.of(Protocol.HOSTS)).isExists()) {
                return hosts;
            }
            try (ClientConsumer browser = session.createConsumer(Protocol.HOSTS, true)) {
                for (ClientMessage m = browser.receiveImmediate(); m != null; m = browser.receiveImmediate()) {
                    final List<Long> pids = new ArrayList<>();
                    final String text = m.getStringProperty(Protocol.PIDS);
                    if (text != null && !text.isEmpty()) {
                        for (final String one : text.split(",")) {
                            pids.add(Long.parseLong(one));
                        }
                    }
                    hosts.add(new HostStatus(m.getStringProperty(Protocol.HOST), m.getLongProperty(Protocol.WORKER_PID),
                        m.getIntProperty(Protocol.WORKERS), List.copyOf(pids), m.getLongProperty(Protocol.DONE),
                        m.getIntProperty(Protocol.HELD), m.getTimestamp()));
                }
            }
        } catch (final ActiveMQException ex) {
            return hosts;
        }
        // the newest status of each host (a status may linger until the broker drops it as replaced or expired)
        final java.util.Map<String, HostStatus> newest = new java.util.TreeMap<>();
        for (final HostStatus host : hosts) {
            newest.merge(host.host(), host, (a, b) -> b.tasksDone() >= a.tasksDone() ? b : a);
        }
        return new ArrayList<>(newest.values());
    }
}
