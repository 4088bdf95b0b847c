package dev.forklift.cli.demo;

import dev.forklift.cli.dashboard.DashboardOption;
import dev.forklift.dashboard.Dashboard;
import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.InputPaths;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.ProcessTable;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.queue.Queue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code forklift demo}: the parent creates a queue, starts producer processes that read many sources at the
 * same time and put processed records on it, and consumer processes that take them off and aggregate; it shows
 * the live process table and ends with a per-source summary proving that nothing was lost.
 *
 * <pre>
 *                      +-------------------+
 *   sources ---------> | producer JVM(s)   | --put--> [ Queue&lt;Chunk&gt; in shared memory ] --take--+
 *   (files or          | a thread a source |                                                 |
 *    generated)        +-------------------+                                                 v
 *                                                                              +-------------------+
 *                         parent JVM: starts the children, draws the table,    | consumer JVM(s)   |
 *                         closes the queue when the producers are done, &lt;----- | aggregate per     |
 *                         compares the tallies     [ Queue&lt;SourceTally&gt; ]     | source            |
 *                                                                              +-------------------+
 * </pre>
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Parent, producer and consumer processes sharing a queue, with a live process table and a "
        + "lossless summary.")
public final class DemoCommand implements Callable<Integer> {
    private static final long REFRESH_MS = 200;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--producers", defaultValue = "1", paramLabel = "N", description = "Producer processes (1-32).")
    private int producers;

    @Option(names = "--consumers", defaultValue = "1", paramLabel = "M", description = "Consumer processes (1-32).")
    private int consumers;

    @Option(names = "--sources", paramLabel = "DIR", description = "Read the files of DIR, one source each, "
        + "instead of generating data.")
    private Path sourcesDir;

    @Option(names = "--source-count", defaultValue = "4", paramLabel = "K",
        description = "Generated sources (default ${DEFAULT-VALUE}).")
    private int sourceCount;

    @Option(names = "--items-per-source", defaultValue = "150000", paramLabel = "X",
        description = "Records per generated source (default ${DEFAULT-VALUE}).")
    private long itemsPerSource;

    @Option(names = "--no-table", description = "Do not draw the live process table.")
    private boolean noTable;

    /** {@code --dashboard [PORT]} and {@code --allow-actions}: the live page of this job. */
    @CommandLine.Mixin
    private final DashboardOption dashboard = new DashboardOption();

    @Override
    public Integer call() throws Exception {
        try (Dashboard page = dashboard.start(spec.commandLine().getErr())) {
            return runWithoutPage();
        }
    }

    /** The command itself; {@link #call} serves the {@code --dashboard} page around it. */
    private Integer runWithoutPage() throws Exception {
        validate();
        if (sourcesDir != null) {
            try {
                InputPaths.requireReadableDirectory("--sources", sourcesDir.toString());
            } catch (final InputPaths.BadPathException ex) {
                return InputPaths.report(spec.commandLine(), ex);
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<SourceSpec> sources = planSources(err);
        if (sources.isEmpty()) {
            err.println("forklift demo: no readable files in " + sourcesDir);
            return ExitCodes.FAILURE;
        }
        ProcessTable.self().role("parent").state("starting");
        try (Queue<Chunk> items = Queue.builder(Chunk.class).name("demo-items").capacity(1024)
                 .maxMessageBytes(DemoProducer.MAX_MESSAGE_BYTES).build();
             Queue<SourceTally> results = Queue.builder(SourceTally.class).name("demo-results").capacity(256).build()) {
            final List<ChildProcessBuilder> builders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                builders.add(ChildProcess.builder(DemoProducer.class).role("producer").name("producer-" + p)
                    .args(sharesOf(sources, p, producers), items, results));
            }
            for (int c = 0; c < consumers; c++) {
                builders.add(ChildProcess.builder(DemoConsumer.class).role("consumer").name("consumer-" + c)
                    .args(items, results));
            }
            out.printf("parent %d: queue %s, %d source(s), %d producer(s), %d consumer(s)%n",
                ProcessHandle.current().pid(), items.name(), sources.size(), producers, consumers);
            out.flush();
            final List<ChildProcess> children = ChildProcessBuilder.startAll(builders);
            try (ChildrenStopper stopper = new ChildrenStopper(children)) {
                return supervise(children, items, results, out, err, stopper);
            } finally {
                children.forEach(ChildProcess::close);
            }
        }
    }

    private int supervise(final List<ChildProcess> children, final Queue<Chunk> items,
        final Queue<SourceTally> results, final PrintWriter out, final PrintWriter err, final ChildrenStopper stopper)
        throws InterruptedException {
        final List<ChildProcess> producerProcesses = children.subList(0, producers);
        final List<ChildProcess> consumerProcesses = children.subList(producers, children.size());
        final List<SourceTally> tallies = new ArrayList<>();
        final LiveTable table = new LiveTable(out, System.console() != null,
            children.stream().map(ChildProcess::pid).collect(Collectors.toSet()));
        ProcessTable.self().state("running");
        while (consumerProcesses.stream().anyMatch(ChildProcess::isAlive)) {
            drain(results, tallies);
            if (!items.isClosed() && producerProcesses.stream().noneMatch(ChildProcess::isAlive)) {
                items.close();
                ProcessTable.self().state("draining");
            }
            final Optional<ChildProcess> failed = children.stream()
                .filter(c -> c.exitStatus().map(s -> !s.isSuccess()).orElse(false)).findFirst();
            if (failed.isPresent()) {
                break;
            }
            if (!noTable) {
                table.draw(footer(items, children), false);
            }
            Thread.sleep(REFRESH_MS);
        }
        items.close();
        if (stopper.stopping()) {
            err.println("forklift demo: interrupted; its processes were stopped");
            err.flush();
            return ExitCodes.FAILURE;
        }
        for (final ChildProcess child : children) {
            child.join(java.time.Duration.ofSeconds(30));
        }
        drain(results, tallies);
        ProcessTable.self().state("done");
        if (!noTable) {
            table.draw(footer(items, children), true);
        }
        final List<String> failures = children.stream().filter(c -> c.exitStatus().map(s -> !s.isSuccess())
            .orElse(true)).map(c -> c.name() + " (pid " + c.pid() + "): " + c.exitStatus().map(ExitStatus::toString)
            .orElse("still running")).collect(Collectors.toList());
        out.println();
        final DemoSummary summary = new DemoSummary();
        summary.addAll(tallies);
        summary.print(out);
        out.printf("processes: parent %d, %s%n", ProcessHandle.current().pid(), children.stream()
            .map(c -> c.role() + " " + c.pid()).collect(Collectors.joining(", ")));
        out.flush();
        if (!failures.isEmpty()) {
            final Optional<RemoteTaskException> tooLong = children.stream().flatMap(c -> c.failure().stream())
                .filter(f -> RecordTooLongException.class.getName().equals(f.remoteClassName())).findFirst();
            if (tooLong.isPresent()) {
                err.println("forklift demo: " + tooLong.get().remoteMessage());
                err.flush();
                return ExitCodes.FAILURE;
            }
            failures.forEach(f -> err.println("forklift demo: child failed: " + f));
            children.stream().flatMap(c -> c.failure().stream()).findFirst()
                .ifPresent(f -> f.printStackTrace(err));
            err.flush();
            return ExitCodes.FAILURE;
        }
        if (!summary.isLossless()) {
            err.println("forklift demo: LOST OR DAMAGED ITEMS: produced " + summary.producedItems() + ", consumed "
                + summary.consumedItems());
            err.flush();
            return ExitCodes.FAILURE;
        }
        out.printf("lossless: %,d items from %d source(s), every count and checksum equal%n",
            summary.consumedItems(), tallies.stream().map(SourceTally::source).distinct().count());
        out.flush();
        return ExitCodes.OK;
    }

    private static String footer(final Queue<Chunk> items, final List<ChildProcess> children) {
        final String state;
        if (!items.isClosed()) {
            state = "";
        } else if (children.stream().anyMatch(ChildProcess::isAlive)) {
            state = ", closed (consumers draining)";
        } else {
            state = ", closed; every process has exited";
        }
        return String.format("queue %s: %d/%d items waiting%s", items.name(), items.size(), items.capacity(), state);
    }

    private static void drain(final Queue<SourceTally> results, final List<SourceTally> tallies) {
        SourceTally tally;
        while ((tally = results.poll()) != null) {
            tallies.add(tally);
        }
    }

    private void validate() {
        checkRange("--producers", producers, 1, 32);
        checkRange("--consumers", consumers, 1, 32);
        checkRange("--source-count", sourceCount, 1, 1024);
        if (itemsPerSource < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--items-per-source must not be negative: " + itemsPerSource);
        }
    }

    private void checkRange(final String option, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                option + " must be in " + min + ".." + max + ": " + value);
        }
    }

    private List<SourceSpec> planSources(final PrintWriter err) throws IOException {
        final List<SourceSpec> sources = new ArrayList<>();
        if (sourcesDir == null) {
            for (int s = 0; s < sourceCount; s++) {
                sources.add(SourceSpec.generated(String.format("generated-%02d", s), itemsPerSource, 1000L + s));
            }
            return sources;
        }
        if (!Files.isDirectory(sourcesDir)) {
            throw new IOException("sources directory " + sourcesDir + " does not exist or is not a directory");
        }
        if (!Files.isReadable(sourcesDir) || !Files.isExecutable(sourcesDir)) {
            throw new IOException("cannot read sources directory " + sourcesDir + ": permission denied");
        }
        try (Stream<Path> files = Files.walk(sourcesDir)) {
            for (final Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                if (Files.isReadable(file)) {
                    sources.add(SourceSpec.ofFile(sourcesDir.relativize(file).toString(), file));
                } else {
                    err.println("forklift demo: skipping unreadable file " + file);
                }
            }
        }
        return sources;
    }

    private static List<SourceSpec> sharesOf(final List<SourceSpec> sources, final int index, final int count) {
        final List<SourceSpec> share = new ArrayList<>();
        for (int s = index; s < sources.size(); s += count) {
            share.add(sources.get(s));
        }
        return share;
    }
}
