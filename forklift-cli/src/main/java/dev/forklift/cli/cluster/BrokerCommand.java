package dev.forklift.cli.cluster;

import dev.forklift.cli.OptionValues;
import dev.forklift.cluster.Credentials;
import dev.forklift.cluster.EmbeddedBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code forklift broker}: runs an Apache ActiveMQ Artemis broker in this JVM for a Forklift cluster, with its
 * journal in a directory and one user whose credentials it creates (0600) on first start, and prints how workers
 * and callers connect. Runs until stopped (Ctrl-C or SIGTERM).
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Run the broker of a Forklift cluster (Apache ActiveMQ Artemis, embedded), until stopped.",
        "Workers ('forklift worker') and callers (Pool.builder().broker(URL), 'forklift run --broker') connect to it;"
            + " see docs/cluster.md."})
public final class BrokerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "61616", description = "TCP port (default "
        + "${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "forklift-broker-data", description = "Journal "
        + "directory; a restarted broker recovers every message from it (default ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to listen "
        + "on (default ${DEFAULT-VALUE}: this machine only). Give the machine's address, or 0.0.0.0, for workers on"
        + " other machines, and use --tls across networks you do not trust.")
    private String bind;

    @Option(names = "--credentials", paramLabel = "FILE", description = "Credentials file (user=, password=); "
        + "created with a random password, mode 0600, when absent (default ~/.forklift/broker.credentials).")
    private Path credentials;

    @Option(names = "--tls", paramLabel = "SETTINGS", description = "TLS for the acceptor: Artemis settings "
        + "separated by ';', such as sslEnabled=true, keyStorePath=FILE, keyStorePassword=PW (see docs/cluster.md).")
    private String tls;

    @Option(names = "--insecure", description = "Let anyone in without credentials (tests on one machine only).")
    private boolean insecure;

    @Override
    public Integer call() throws InterruptedException {
        OptionValues.inRange(spec.commandLine(), "--port", port, 1, 65_535);
        final PrintWriter out = spec.commandLine().getOut();
        final Path file = credentials != null ? credentials : Credentials.defaultFile();
        final Credentials made = insecure ? null : Credentials.readOrCreate(file);
        final EmbeddedBroker broker = EmbeddedBroker.start(bind, port, data, made, tls);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
        final String host = "0.0.0.0".equals(bind) ? "THIS-HOST" : bind;
        final String url = "tcp://" + host + ":" + port + (tls == null ? "" : "?sslEnabled=true");
        out.println("broker: listening on " + bind + ":" + port + ", journal in " + data.toAbsolutePath());
        if (made == null) {
            out.println("broker: --insecure: anyone who can reach the port may submit code to the workers");
        } else {
            out.println("broker: credentials (user " + made.user() + ") in " + file.toAbsolutePath()
                + " (mode 0600); copy that file to each worker and caller machine, keeping it 0600");
        }
        out.println("workers: forklift worker --broker '" + url + (made == null ? "" : (url.contains("?") ? "&" : "?")
            + "credentials=" + file.toAbsolutePath()) + "' --workers N");
        out.println("callers: Pool.builder().broker(\"" + url + "\") (credentials from " + Credentials.FILE_ENV
            + " or ~/.forklift/broker.credentials), or forklift run --broker URL --task CLASS FILE...");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
