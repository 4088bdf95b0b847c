package dev.forklift.cli.dashboard;

import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.cluster.BrokerClusterSource;
import dev.forklift.dashboard.Dashboard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code forklift dashboard}: a live page of every running Forklift job of the current user on this host, read
 * from the shared-memory boards as {@code forklift ps} reads them (the jobs' hot paths are never touched). Serves
 * on 127.0.0.1 until stopped with Ctrl-C; prints the URL, with its token. With {@code --broker URL} the page also
 * shows that cluster's worker hosts and broker queues.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Serve a live page of every running Forklift job of this user on this host.",
        "Binds 127.0.0.1 only; open the printed URL (it carries a random token). Stop with Ctrl-C."})
public final class DashboardCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
        description = "Port on 127.0.0.1 (default: a free one).")
    private int port;

    @Option(names = "--allow-actions", description = "Let the page kill or recycle a worker and take a thread dump "
        + "or a flight recording of one (read-only without it).")
    private boolean allowActions;

    @Option(names = "--broker", paramLabel = "URL", description = "Also show the worker hosts and queues of the "
        + "cluster of this broker, as 'forklift ps --broker' lists them.")
    private String broker;

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter err = spec.commandLine().getErr();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Dashboard.Builder builder = Dashboard.forHost().port(port).allowActions(allowActions);
        if (broker != null) {
            builder.cluster(new BrokerClusterSource(broker));
        }
        try (Dashboard dashboard = builder.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dashboard-stop"));
            spec.commandLine().getOut().println("dashboard: " + dashboard.url());
            spec.commandLine().getOut().flush();
            err.println("forklift dashboard: " + (allowActions ? "actions allowed" : "read-only")
                + "; Ctrl-C to stop");
            err.flush();
            stopped.await();
        }
        return ExitCodes.OK;
    }
}
