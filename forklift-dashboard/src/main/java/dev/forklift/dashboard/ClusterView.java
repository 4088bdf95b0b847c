package dev.forklift.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * One read of a cluster's worker hosts and broker queues, as a {@link ClusterSource} returns it for the dashboard's
 * cluster view. Immutable. The dashboard knows no broker: whoever joins it to a cluster (the CLI, for
 * {@code forklift dashboard --broker URL}) fills this in from the cluster's own status.
 *
 * @param hosts  the live worker hosts, by name.
 * @param queues the broker's queues, by name.
 */
public record ClusterView(List<Host> hosts, List<BrokerQueue> queues) {
    /**
     * @param hosts  the live worker hosts.
     * @param queues the broker's queues.
     */
    public ClusterView {
        hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
        queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
    }

    /**
     * A worker host as it last reported itself.
     *
     * @param name        the host's name.
     * @param pid         the host process's pid, on its machine.
     * @param workers     its worker JVMs.
     * @param workerPids  the pids of those running now, on its machine.
     * @param tasksDone   tasks it finished since it started.
     * @param tasksHeld   tasks it holds now.
     * @param statusAgeMs how old its last status is, in ms (by the clocks of both machines), or -1 if unknown.
     */
    public record Host(String name, long pid, int workers, List<Long> workerPids, long tasksDone, int tasksHeld,
        long statusAgeMs) {
        /**
         * Copies the pids.
         *
         * @param name        the host's name.
         * @param pid         the host process's pid.
         * @param workers     its worker JVMs.
         * @param workerPids  the pids of those running now.
         * @param tasksDone   tasks it finished since it started.
         * @param tasksHeld   tasks it holds now.
         * @param statusAgeMs how old its last status is, in ms, or -1 if unknown.
         */
        public Host {
            Objects.requireNonNull(name, "name");
            workerPids = List.copyOf(Objects.requireNonNull(workerPids, "workerPids"));
        }
    }

    /**
     * A queue on the broker.
     *
     * @param name      its name.
     * @param messages  messages in it (delivered and not yet acknowledged included).
     * @param consumers consumers attached.
     */
    public record BrokerQueue(String name, long messages, int consumers) {
        /**
         * Checks the name.
         *
         * @param name      its name.
         * @param messages  messages in it.
         * @param consumers consumers attached.
         */
        public BrokerQueue {
            Objects.requireNonNull(name, "name");
        }
    }
}
