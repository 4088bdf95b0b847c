package dev.forklift.cli.dashboard;

import dev.forklift.cli.cluster.BrokerClusterSource;
import dev.forklift.dashboard.Dashboard;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Stack;
import java.util.function.Supplier;

/**
 * The {@code --dashboard [PORT]} and {@code --allow-actions} options of the job commands (run, wordcount, demo,
 * chaos): serve the live page of this job from the job itself, on 127.0.0.1, for as long as it runs. Mixed into a
 * command by picocli; {@link #start} is called from the command's thread.
 */
public final class DashboardOption {
    @Option(names = "--dashboard", arity = "0..1", paramLabel = "PORT", parameterConsumer = OptionalPort.class,
        description = "Serve a live page of this job on 127.0.0.1 (PORT, or a free one); its URL, with a token, "
            + "is printed on standard error.")
    private Integer port;

    @Option(names = "--allow-actions", description = "Let the --dashboard page kill or recycle a worker and take a "
        + "thread dump or a flight recording of one (read-only without it).")
    private boolean allowActions;

    private volatile Supplier<List<FailedTask>> failures = List::of;
    private volatile Supplier<String> retryFailed;

    /**
     * Starts the page when {@code --dashboard} was given; it stops with the process.
     *
     * @param err where the URL is printed.
     * @return the dashboard, or null when not asked for.
     */
    public Dashboard start(final PrintWriter err) {
        return start(err, null);
    }

    /**
     * Starts the page when {@code --dashboard} was given; it stops with the process.
     *
     * @param err       where the URL is printed.
     * @param brokerUrl the broker of a job run over a cluster ({@code --broker}), whose hosts and queues the page
     *                  shows too; or null.
     * @return the dashboard, or null when not asked for.
     */
    public Dashboard start(final PrintWriter err, final String brokerUrl) {
        if (port == null) {
            return null;
        }
        final Dashboard.Builder builder = Dashboard.forThisJob().port(port).allowActions(allowActions)
            .failedTasks(() -> failures.get()).retryFailed(() -> {
                final Supplier<String> retry = retryFailed;
                if (retry == null) {
                    throw new UnsupportedOperationException("this job retries no failed task from the page");
                }
                return retry.get();
            });
        if (brokerUrl != null) {
            builder.cluster(new BrokerClusterSource(brokerUrl));
        }
        final Dashboard dashboard = builder.start();
        err.println("dashboard: " + dashboard.url());
        err.flush();
        return dashboard;
    }

    /**
     * Takes the next argument as the port only when it is a number, so that {@code --dashboard input.txt} leaves
     * the input file to the command.
     */
    static final class OptionalPort implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(final Stack<String> args, final CommandLine.Model.ArgSpec argSpec,
            final CommandLine.Model.CommandSpec commandSpec) {
            int port = 0;
            if (!args.isEmpty() && args.peek().matches("\\d+")) {
                final String text = args.pop();
                port = text.length() > 5 ? -1 : Integer.parseInt(text);
                if (port < 0 || port > 65_535) {
                    throw new CommandLine.ParameterException(commandSpec.commandLine(),
                        "--dashboard " + text + ": the port must be in 0..65535 (0: a free one)");
                }
            }
            argSpec.setValue(port);
        }
    }

    /**
     * @param retry the job's "retry all failed" (as {@code forklift run}'s), run on a dashboard HTTP thread when a
     *              viewer confirms it; returns a message for the viewer, throws {@link IllegalStateException} when the
     *              job can no longer retry.
     */
    public void retryFailedWith(final Supplier<String> retry) {
        retryFailed = retry;
    }

    /** @param pool a pool of the job whose failed tasks the page lists. */
    public void showFailuresOf(final Pool pool) {
        failures = pool::failedTasks;
    }
}
