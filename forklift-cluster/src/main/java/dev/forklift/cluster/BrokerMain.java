package dev.forklift.cluster;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedBroker} until the JVM is stopped: the body of {@code forklift broker} and of the broker
 * process the cluster tests and {@code forklift chaos --cluster} start ({@link LocalCluster}).
 * Arguments: {@code --port N --data DIR [--bind ADDRESS] [--credentials FILE | --insecure] [--tls SETTINGS]}.
 * Prints one line {@code broker ready URL} on standard output once it accepts connections.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    /**
     * @param args see the class comment.
     * @throws InterruptedException never in practice: the main thread waits for the JVM's end.
     */
    public static void main(final String[] args) throws InterruptedException {
        dev.forklift.cluster.internal.ArtemisLogging.quietUnlessConfigured();
        int port = EmbeddedBroker.DEFAULT_PORT;
        Path data = Path.of("forklift-broker-data");
        String bind = "127.0.0.1";
        Path credentialsFile = null;
        boolean insecure = false;
        String tls = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--data": data = Path.of(args[++i]); break;
                case "--bind": bind = args[++i]; break;
                case "--credentials": credentialsFile = Path.of(args[++i]); break;
                case "--insecure": insecure = true; break;
                case "--tls": tls = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        ParentWatch.exitWithParent();
        final Credentials credentials = insecure ? null
            : Credentials.readOrCreate(credentialsFile != null ? credentialsFile : Credentials.defaultFile());
        final EmbeddedBroker broker = EmbeddedBroker.start(bind, port, data, credentials, tls);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
        System.out.println("broker ready " + broker.url());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
