package dev.forklift.cluster;

import java.time.Duration;

/**
 * Runs a {@link WorkerHost} until the JVM is stopped: the body of {@code forklift worker} and of the worker host
 * processes of the cluster tests and {@code forklift chaos --cluster} ({@link LocalCluster}). Arguments:
 * {@code --broker URL --workers N [--classpath CP] [--name NAME] [--lease-ms MS]}. Prints {@code host ready NAME}
 * once it pulls tasks (its consumer of the task queue exists).
 */
public final class WorkerHostMain {
    private WorkerHostMain() {
    }

    /** @param args see the class comment. */
    public static void main(final String[] args) {
        dev.forklift.cluster.internal.ArtemisLogging.quietUnlessConfigured();
        String broker = null;
        int workers = Runtime.getRuntime().availableProcessors();
        String classpath = null;
        String name = defaultName();
        long leaseMs = WorkerHost.DEFAULT_LEASE.toMillis();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--broker": broker = args[++i]; break;
                case "--workers": workers = Integer.parseInt(args[++i]); break;
                case "--classpath": classpath = args[++i]; break;
                case "--name": name = args[++i]; break;
                case "--lease-ms": leaseMs = Long.parseLong(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (broker == null) {
            throw new IllegalArgumentException("--broker URL is required");
        }
        ParentWatch.exitWithParent();
        final WorkerHost host = new WorkerHost(broker, workers, classpath, name, Duration.ofMillis(leaseMs));
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "host-stop"));
        host.run(() -> {
            System.out.println("host ready " + host.name()); // only once it pulls tasks: see WorkerHost.run
            System.out.flush();
        });
    }

    /** @return the machine's host name and this pid: unique per host process. */
    public static String defaultName() {
        String machine;
        try {
            machine = java.net.InetAddress.getLocalHost().getHostName();
        } catch (final java.io.IOException ex) {
            machine = "host";
        }
        return machine + "-" + ProcessHandle.current().pid();
    }
}
