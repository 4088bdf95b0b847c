package dev.forklift.cli.cluster;

import dev.forklift.cli.OptionValues;
import dev.forklift.cli.run.Durations;
import dev.forklift.cluster.WorkerHost;
import dev.forklift.cluster.WorkerHostMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code forklift worker}: a worker host of a Forklift cluster: keeps N worker JVMs busy with tasks pulled from the
 * broker until stopped (Ctrl-C or SIGTERM: it stops pulling, finishes what it holds, and exits).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Run a worker host of a Forklift cluster: N worker JVMs running tasks pulled from the broker.",
        "See docs/cluster.md."})
public final class WorkerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URL", required = true, description = "The broker, such as "
        + "tcp://HOST:61616, with ?credentials=FILE unless the file is ~/.forklift/broker.credentials")
    private String broker;

    @Option(names = "--workers", paramLabel = "N", description = "Worker JVMs (default: the number of cores).")
    private Integer workers;

    @Option(names = "--classpath", paramLabel = "CP", description = "Where the callers' task classes are, added to "
        + "the workers' class path.")
    private String classpath;

    @Option(names = "--name", paramLabel = "NAME", description = "This host's name in results, errors and "
        + "'forklift ps' (default: machine name and pid).")
    private String name;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "30s", description = "How long the broker "
        + "keeps this host's tasks while it is silent (stopped, cut off) before giving them to other hosts "
        + "(default ${DEFAULT-VALUE}).")
    private String lease;

    @Override
    public Integer call() {
        final int count = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        OptionValues.inRange(spec.commandLine(), "--workers", count, 1, 4096);
        final Duration leaseDuration;
        try {
            leaseDuration = Durations.parse(lease);
        } catch (final IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lease: " + ex.getMessage());
        }
        if (leaseDuration.toMillis() < 1_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lease must be at least 1s: " + lease);
        }
        final WorkerHost host = new WorkerHost(broker, count, classpath, name != null ? name
            : WorkerHostMain.defaultName(), leaseDuration);
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "worker-host-stop"));
        host.run(() -> { // announced once it pulls tasks, not before
            spec.commandLine().getOut().println("worker host '" + host.name() + "': " + count + " workers, pulling "
                + "from " + broker.replaceAll("password=[^&]*", "password=***"));
            spec.commandLine().getOut().flush();
        });
        return 0;
    }
}
