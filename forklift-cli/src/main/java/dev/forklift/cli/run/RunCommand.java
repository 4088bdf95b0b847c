package dev.forklift.cli.run;

import dev.forklift.process.internal.StartupTrace;
import dev.forklift.cli.dashboard.DashboardOption;
import dev.forklift.dashboard.Dashboard;
import dev.forklift.cli.DistinctFiles;
import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.InputPaths;
import dev.forklift.cli.OptionValues;
import dev.forklift.cli.progress.LineCounter;
import dev.forklift.cli.progress.ProgressBar;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolBuilder;
import dev.forklift.pool.PoolFunctions;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.process.ChildOutput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code forklift run}: maps a user's {@code Function<String, String>} over the lines of files with a pool of
 * worker JVMs. Results go to standard output (or {@code --output}), one line each, in input order unless
 * {@code --unordered}; in order, a failed input leaves an empty line. Results are written as they come (in order,
 * each completed prefix), so an interrupted or killed run leaves every finished result on disk. Failures are listed
 * on standard error at the end with their file and line, and with {@code --failed FILE} written to FILE as JSON
 * lines (file, line, input, attempts, error, pid, exit code, signal, timestamps, stack trace);
 * {@code --retry-failed FILE} runs exactly the inputs of such a file again. Lines are decoded strictly
 * ({@code --encoding}) and bounded ({@code --max-input-size}): a line that cannot be read fails, with its reason.
 *
 * <p>SIGINT (Ctrl-C) or SIGTERM stops the run: no further input, the workers stopped, what finished written, what
 * did not run recorded in a state file, one summary line, exit code 130 or 143; {@code --resume FILE} then runs
 * exactly the rest, appending to the same outputs. Exit code 0 when every input succeeded, 1 when any failed, 2 for
 * usage errors and bad paths (checked before any worker starts; an output that is also an input is refused).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Map a task over the lines of files with a pool of worker JVMs.",
        "CLASS is a public class with a public no-argument constructor implementing "
            + "java.util.function.Function<String, String>."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every input succeeded", "1:an input failed (listed on standard error)",
        "2:usage error or bad path", "130:stopped by SIGINT (continue with --resume)",
        "143:stopped by SIGTERM (continue with --resume)"})
public final class RunCommand implements Callable<Integer> {
    /** Failure records the run's pool keeps for {@code --failed}: more than a run has in flight. */
    private static final int FAILED_RECORDS = 10_000;
    /** The state file of an interrupted run without {@code --output} and {@code --state}. */
    static final String DEFAULT_STATE_FILE = "forklift-run.resume";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The defaults of {@code --retries} and {@code --encoding}: picocli's, and a plain run's ({@link #plain}). */
    static final String DEFAULT_RETRIES = "2";
    static final String DEFAULT_ENCODING = "UTF-8";

    @Option(names = "--task", paramLabel = "CLASS", description = "The task class (required, except with --resume).")
    private String taskClass;

    @Option(names = "--workers", paramLabel = "N", description = "Worker JVMs (1-4096; default: the number of "
        + "cores).")
    private Integer workers;

    @Option(names = "--classpath", paramLabel = "CP", description = "Where the task class is, added to the "
        + "workers' class path (before Forklift's own jar).")
    private String classpath;

    @Option(names = "--broker", paramLabel = "URL", description = "Run the tasks on the worker hosts of a cluster "
        + "('forklift worker') through this broker instead of on local workers; see docs/cluster.md.")
    private String broker;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Longest time per input, such as 500ms, 3s, "
        + "2m; the worker running it is killed and replaced.")
    private String timeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", description = "Kill a worker whose heartbeat "
        + "stops for this long (stopped, frozen) and treat its input as a crash (default 30s, at least 1s).")
    private String heartbeatTimeout;

    @Option(names = "--max-rss", paramLabel = "SIZE", description = "Recycle a worker whose resident memory is above "
        + "SIZE after an input, such as 512m or 2g (at least 32m; default: no limit).")
    private String maxRss;

    @Option(names = "--max-input-size", paramLabel = "SIZE", description = "Longest input line, and largest "
        + "result, such as 4m (1k-63m; default 1m); a longer line fails with its length.")
    private String maxInputSize;

    /** {@code --max-input-size} in bytes, set by {@link #configure()}. */
    private int maxInputBytes = RunLimits.DEFAULT_MAX_INPUT_BYTES;

    @Option(names = "--retries", paramLabel = "N", defaultValue = DEFAULT_RETRIES, description = "Retries of an "
        + "input whose worker crashed or timed out (0-100; default ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--unordered", description = "Write results as they complete, not in input order.")
    private boolean unordered;

    @Option(names = "--output", paramLabel = "FILE", description = "Write results to FILE instead of standard "
        + "output.")
    private Path output;

    @Option(names = "--quiet", description = "Draw no progress bar.")
    private boolean quiet;

    @Option(names = "--warm", description = "Take worker JVMs from this user's warm host, which keeps spare workers "
        + "of this class path alive between runs and stops after 5 idle minutes; the first run starts it.")
    private boolean warm;

    @Option(names = "--failed", paramLabel = "FILE", description = "Write each failed input to FILE as a JSON line "
        + "(file, line, input, attempts, error, message, pid, exitCode, signal, timestamps, stackTrace).")
    private Path failedFile;

    @Option(names = "--retry-failed", paramLabel = "FILE", description = "Run exactly the inputs listed in FILE "
        + "(written by --failed) instead of input files; a failure again names the original file and line.")
    private Path retryFailed;

    @Option(names = "--encoding", paramLabel = "NAME", defaultValue = DEFAULT_ENCODING, description = "Encoding of "
        + "the input files (default ${DEFAULT-VALUE}); a line with bytes invalid in it fails, never altered. "
        + "--output and --failed are written in UTF-8.")
    private String encoding;

    @Option(names = "--state", paramLabel = "FILE", description = "Where a run stopped by Ctrl-C or SIGTERM records "
        + "what did not run (default: OUTPUT.resume with --output, else " + DEFAULT_STATE_FILE + ").")
    private Path stateFile;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue a stopped run from its state FILE: runs "
        + "exactly what did not run, with the run's own options, appending to its outputs. Give no other option.")
    private Path resumeFile;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Input files, one input per line; - for "
        + "standard input.")
    private List<String> files;

    /** {@code --dashboard [PORT]} and {@code --allow-actions}: the live page of this job. */
    @CommandLine.Mixin
    private final DashboardOption dashboard = new DashboardOption();

    /** A plain run ({@link PlainRun}): its command line as read without picocli; null when {@link #spec} is set. */
    private PlainRunArgs plainArgs;
    /** A plain run's standard output and error, as picocli would have made them; null otherwise. */
    private PrintWriter plainOut;
    private PrintWriter plainErr;

    /**
     * A command whose options come from {@link PlainRunArgs} instead of picocli: the same fields, the same defaults.
     *
     * @return the command, for {@link PlainRun}.
     */
    static RunCommand plain(final PlainRunArgs args, final PrintWriter out, final PrintWriter err) {
        final RunCommand command = new RunCommand();
        command.plainArgs = args;
        command.plainOut = out;
        command.plainErr = err;
        command.taskClass = args.text("--task");
        command.workers = args.integer("--workers");
        command.classpath = args.text("--classpath");
        command.timeout = args.text("--timeout");
        command.heartbeatTimeout = args.text("--heartbeat-timeout");
        command.maxRss = args.text("--max-rss");
        command.maxInputSize = args.text("--max-input-size");
        final Integer retries = args.integer("--retries");
        command.retries = retries == null ? Integer.parseInt(DEFAULT_RETRIES) : retries;
        command.unordered = args.flag("--unordered");
        command.output = args.path("--output");
        command.quiet = args.flag("--quiet");
        command.warm = args.flag("--warm");
        command.failedFile = args.path("--failed");
        command.retryFailed = args.path("--retry-failed");
        final String encoding = args.text("--encoding");
        command.encoding = encoding == null ? DEFAULT_ENCODING : encoding;
        command.stateFile = args.path("--state");
        command.files = args.files();
        return command;
    }

    /**
     * A plain run's checks of its options and paths, as {@link #start} makes them, with nothing printed.
     *
     * @return the pool's builder; null when a check fails (picocli then runs the command line and reports it: an
     *     error of a check needs picocli's model, which a plain run has not built, so any exception declines).
     */
    PoolBuilder preparePlain() {
        try {
            final PoolBuilder builder = configure();
            checkPaths(null);
            return builder;
        } catch (final RuntimeException | InputPaths.BadPathException ex) {
            return null;
        }
    }

    /**
     * Runs a plain run once {@link #preparePlain} accepted it.
     *
     * @return the exit code.
     * @throws Exception as {@link #call} does (picocli's handler would print it).
     */
    int runPlain(final PoolBuilder builder) throws Exception {
        StartupTrace.stamp("cli run: plain, options checked");
        return run(plainErr, null, builder);
    }

    /** @return where messages go: picocli's standard error, or a plain run's. */
    private PrintWriter err() {
        return plainErr != null ? plainErr : spec.commandLine().getErr();
    }

    /** @return where results go: picocli's standard output, or a plain run's. */
    private PrintWriter out() {
        return plainOut != null ? plainOut : spec.commandLine().getOut();
    }

    @Override
    public Integer call() throws Exception {
        StartupTrace.stamp("cli run: parsed, call");
        try (Dashboard page = dashboard.start(err(), broker)) {
            return runWithoutPage();
        }
    }

    /** The command itself; {@link #call} serves the {@code --dashboard} page around it. */
    private Integer runWithoutPage() throws Exception {
        final PrintWriter err = err();
        if (resumeFile != null) {
            return resume(err);
        }
        return start(err, null);
    }

    /** Checks the options and paths, then runs; {@code resumed} is the state of the run continued, or null. */
    private int start(final PrintWriter err, final Resumed resumed) throws Exception {
        // A usage error goes to the command line's handler: one line and a hint.
        final PoolBuilder builder = configure();
        StartupTrace.stamp("cli run: options checked");
        try {
            checkPaths(resumed);
        } catch (final InputPaths.BadPathException ex) {
            return InputPaths.report(spec.commandLine(), ex);
        }
        return run(err, resumed, builder);
    }

    /** Runs, once the options and paths were checked. */
    private int run(final PrintWriter err, final Resumed resumed, final PoolBuilder builder) throws Exception {
        final int maxInputBytes = maxInputBytes();
        final RecordSource source;
        try {
            source = retryFailed == null ? new LineSource(files, System.in, Charset.forName(encoding), maxInputBytes)
                : FailedInputs.read(retryFailed, maxInputBytes);
        } catch (final IOException | IllegalArgumentException ex) {
            err.println("forklift run: cannot read --retry-failed " + retryFailed + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        final List<RunState.FileStamp> stamps = new ArrayList<>();
        for (final String file : retryFailed != null ? List.of(retryFailed.toString()) : files) {
            if (!file.equals("-")) {
                stamps.add(RunState.FileStamp.of(file));
            }
        }
        final RunInputs inputs = resumed == null ? new RunInputs(source, new long[0], 0)
            : new RunInputs(source, resumed.state().notRun(), resumed.state().next());
        final FailureSummary summary = new FailureSummary();
        final boolean append = resumed != null;
        final StopRequest stop = new StopRequest();
        final ProgressBar.Mode progressMode = ProgressBar.detectMode(quiet);
        try (source;
             StopSignals signals = StopSignals.install(stop::signal);
             LineOutput out = output != null ? LineOutput.toFile(output, append)
                 : LineOutput.to(out(), standardOutputCharset(), warning -> {
                     err.println("forklift run: " + warning);
                     err.flush();
                 });
             LineOutput failedOut = failedFile == null ? null : LineOutput.toFile(failedFile, append);
             PeriodicFlush flush = new PeriodicFlush(failedOut == null ? List.of(out) : List.of(out, failedOut));
             ProgressBar progress = new ProgressBar(err, progressMode, "run", ProgressBar.DEFAULT_PLAIN_INTERVAL_MS);
             Pool pool = build(builder)) {
            StartupTrace.stamp("cli run: pool built");
            dashboard.showFailuresOf(pool);
            // The total only serves the progress shown: no second read of the inputs when none is.
            if (resumed == null && retryFailed == null && progressMode != ProgressBar.Mode.OFF) {
                LineCounter.countInBackground(files, progress::total);
            }
            final FailedLog failedLog = failedOut == null ? null : new FailedLog(failedOut, pool, maxInputBytes);
            final RunLoop loop = new RunLoop(pool, PoolFunctions.byClassName(taskClass), inputs, source, out,
                failedLog, progress, summary, !unordered, maxInputBytes, err);
            stop.attach(loop);
            dashboard.retryFailedWith(loop::retryAllFailed);
            try {
                loop.run();
                StartupTrace.stamp("cli run: every result in");
                out.flush();
                if (failedOut != null) {
                    failedOut.flush();
                }
                if (loop.stopSignal() != 0) {
                    progress.close();
                    return stopped(err, loop, source, stamps, out, failedOut, resumed);
                }
            } finally {
                loop.recorded();
            }
            progress.close();
            if (loop.failed() > 0) {
                summary.print(err, loop.failed(), failedFile);
            }
            if (resumed != null) {
                Files.deleteIfExists(resumed.file());
            }
            return loop.failed() > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    private static Pool build(final PoolBuilder builder) {
        StartupTrace.stamp("cli run: inputs and outputs open, pool build");
        return builder.build();
    }

    /** Records what did not run, prints the one summary line; returns 128 + the signal. */
    private int stopped(final PrintWriter err, final RunLoop loop, final RecordSource source,
        final List<RunState.FileStamp> stamps,
        final LineOutput out, final LineOutput failedOut, final Resumed resumed) {
        final int signal = loop.stopSignal();
        final long[] notRun = loop.notRun();
        final long next = loop.nextNotRun();
        final StringBuilder line = new StringBuilder("forklift run: stopped by ").append(RunLoop.signalName(signal))
            .append(": ").append(loop.done()).append(" done, ").append(loop.failed()).append(" failed");
        if (resumed != null) {
            line.append(" (with the runs before: ").append(resumed.state().done() + loop.done()).append(" done, ")
                .append(resumed.state().failed() + loop.failed()).append(" failed)");
        }
        if (loop.nothingLeft()) {
            err.println(line.append(", not run: 0; nothing left to continue"));
            err.flush();
            return 128 + signal;
        }
        line.append(", not run: ").append(describeNotRun(source, notRun, next));
        final List<RunState.FileSize> sizes = new ArrayList<>();
        if (output != null) {
            sizes.add(new RunState.FileSize("--output", output.toString(), out.bytes()));
        }
        if (failedOut != null) {
            sizes.add(new RunState.FileSize("--failed", failedFile.toString(), failedOut.bytes()));
        }
        final Path state = statePath();
        try {
            new RunState(Path.of("").toAbsolutePath().toString(), RunLoop.signalName(signal), ownArgs(), sizes, stamps,
                notRun, next, (resumed == null ? 0 : resumed.state().done()) + loop.done(),
                (resumed == null ? 0 : resumed.state().failed()) + loop.failed()).write(state);
            line.append("; continue with: forklift run --resume ").append(state);
            if (files != null && files.contains("-")) {
                line.append(" (given the same standard input again)");
            }
            if (output == null) {
                line.append(stdoutHint());
            }
        } catch (final IOException ex) {
            line.append("; cannot record it in ").append(state).append(": ").append(ex.getMessage());
        }
        err.println(line);
        err.flush();
        return 128 + signal;
    }

    /** @return the records that did not run, in words: how many were in flight, and where the rest starts. */
    private static String describeNotRun(final RecordSource source, final long[] notRun, final long next) {
        final String rest;
        if (next < source.recordsRead()) {
            rest = "every input from " + source.origin(next) + " on";
        } else if (source.exhausted()) {
            rest = null;
        } else {
            rest = source.recordsRead() == 0 ? "every input" : "every input after "
                + source.origin(source.recordsRead() - 1);
        }
        if (notRun.length == 0) {
            return rest == null ? "0" : rest;
        }
        return notRun.length + " unfinished input(s)" + (rest == null ? "" : " and " + rest);
    }

    private PoolBuilder configure() {
        // Null in a plain run: a problem found then fails in picocli's own check of it, and the run declines.
        final CommandLine commandLine = spec == null ? null : spec.commandLine();
        if (taskClass == null) {
            throw new CommandLine.ParameterException(commandLine, "Missing required option: '--task=CLASS'");
        }
        final PoolBuilder builder = Pool.builder().name("run").output(ChildOutput.to(line ->
            err().println(line))).warmWorkers(warm);
        try {
            if (workers != null) {
                OptionValues.inRange(commandLine, "--workers", workers, 1, PoolBuilder.MAX_WORKER_LIMIT);
                builder.workerLimit(Math.max(workers, PoolBuilder.DEFAULT_WORKER_LIMIT)).workers(workers);
            }
            if (timeout != null) {
                builder.taskTimeout(OptionValues.duration(commandLine, "--timeout", timeout, Duration.ofMillis(1)));
            }
            if (heartbeatTimeout != null) {
                builder.heartbeatTimeout(OptionValues.duration(commandLine, "--heartbeat-timeout", heartbeatTimeout,
                    PoolBuilder.MIN_HEARTBEAT_TIMEOUT));
            }
            if (maxRss != null) {
                builder.maxRssPerWorker(OptionValues.size(commandLine, "--max-rss", maxRss,
                    PoolBuilder.MIN_RSS_PER_WORKER_BYTES, Long.MAX_VALUE));
            }
            if (maxInputSize != null) {
                maxInputBytes = (int) OptionValues.size(commandLine, "--max-input-size", maxInputSize,
                    RunLimits.MIN_INPUT_BYTES, RunLimits.MAX_INPUT_BYTES);
            }
            if (broker != null) {
                builder.broker(broker);
            }
            OptionValues.inRange(commandLine, "--retries", retries, 0, 100);
            builder.retryPolicy(RetryPolicy.attempts(retries + 1).retryTimeouts(true));
            builder.maxMessageBytes(RunLimits.maxMessageBytes(maxInputBytes()));
            final Charset charset;
            try {
                charset = Charset.forName(encoding);
            } catch (final IllegalCharsetNameException | UnsupportedCharsetException ex) {
                throw new IllegalArgumentException("unknown --encoding '" + encoding + "' (such as UTF-8, "
                    + "ISO-8859-1, windows-1252)");
            }
            LineSource.checkEncoding(charset);
            if (failedFile != null) {
                // Enough records for every failure still in flight, however long the run: --failed writes each.
                builder.failedTaskRetention(FAILED_RECORDS, Duration.ofDays(1));
            }
        } catch (final IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(commandLine, ex.getMessage(), ex);
        }
        if (retryFailed != null) {
            if (files != null && !files.isEmpty()) {
                throw new CommandLine.ParameterException(commandLine, "give input FILEs or --retry-failed, not both: "
                    + "--retry-failed=" + retryFailed + ", FILE=" + files);
            }
        } else if (files == null || files.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "no input FILE given (use - for standard input)");
        }
        checkTaskClass(commandLine);
        if (classpath != null) {
            // The user's entries first: the command's jar carries its own copies of libraries (Netty, SLF4J,
            // Micrometer, ...) that must not shadow the versions the task was built against. The children's
            // class-data archive then covers the user's leading jars, none when the task is in a directory.
            builder.classpath(classpath + File.pathSeparator + System.getProperty("java.class.path"));
        }
        return builder;
    }

    /** @return {@code --max-input-size} in bytes, as {@link #configure()} parsed and checked it. */
    private int maxInputBytes() {
        return maxInputBytes;
    }

    /**
     * Checks every path before anything is opened for writing or any worker starts: inputs readable files, outputs
     * in existing directories, no output the same file as an input or as another output.
     */
    private void checkPaths(final Resumed resumed) throws InputPaths.BadPathException {
        final DistinctFiles distinct = new DistinctFiles();
        if (retryFailed != null) {
            InputPaths.requireReadableFile("--retry-failed file", retryFailed.toString());
            distinct.input("--retry-failed file", retryFailed);
        }
        for (final String file : files == null ? List.<String>of() : files) {
            if (file.equals("-")) {
                distinct.standardInput();
            } else {
                InputPaths.requireReadableFile("input", file);
                distinct.input("input", Path.of(file));
            }
        }
        if (output != null) {
            InputPaths.requireWritableFile("--output", output);
            distinct.output("--output", output);
        } else {
            distinct.standardOutput();
        }
        if (failedFile != null) {
            InputPaths.requireWritableFile("--failed", failedFile);
            distinct.output("--failed", failedFile);
        }
        if (stateFile != null) {
            InputPaths.requireWritableFile("--state", stateFile);
        }
        distinct.output("--state", statePath());
        distinct.check();
        if (resumed != null) {
            resumed.check(output, failedFile, retryFailed != null ? List.of(retryFailed.toString()) : files);
        }
    }

    /** @return the encoding picocli writes standard output in: sun.stdout.encoding, else the locale's. */
    private static Charset standardOutputCharset() {
        final String name = System.getProperty("sun.stdout.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (final IllegalArgumentException ex) {
            return Charset.defaultCharset();
        }
    }

    /** @return where an interrupted run records what did not run. */
    private Path statePath() {
        if (stateFile != null) {
            return stateFile;
        }
        return output != null ? output.resolveSibling(output.getFileName() + ".resume") : Path.of(DEFAULT_STATE_FILE);
    }

    /** @return how to continue when the results went to standard output: where to append them. */
    private static String stdoutHint() {
        try {
            final Path stdout = Path.of("/proc/self/fd/1");
            if (Files.isRegularFile(stdout)) {
                return " >> " + Files.readSymbolicLink(stdout);
            }
        } catch (final IOException | UnsupportedOperationException | SecurityException ex) {
            // no hint then
        }
        return " (its results go to standard output: append them to this run's)";
    }

    /** @return this run's arguments as given, for a continuation to parse again ({@code --resume} left out). */
    private List<String> ownArgs() {
        final List<String> args = new ArrayList<>();
        if (plainArgs != null) {
            args.addAll(plainArgs.matchedArgs()); // the same list (a plain run has no --resume)
        } else {
            for (final CommandLine.Model.OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
                if (option.longestName().equals("--resume")) {
                    continue;
                }
                if (option.arity().max() == 0) {
                    args.add(option.longestName());
                } else {
                    for (final String value : option.originalStringValues()) {
                        args.add(option.longestName());
                        args.add(value);
                    }
                }
            }
        }
        if (files != null && !files.isEmpty()) {
            args.add("--");
            args.addAll(files);
        }
        return args;
    }

    /** {@code --resume FILE}: reads the state, parses the stopped run's arguments again, and runs what is left. */
    private int resume(final PrintWriter err) throws Exception {
        for (final CommandLine.Model.OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!option.longestName().equals("--resume") && !option.longestName().equals("--quiet")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resume takes the stopped run's own "
                    + "options; give no other option than --quiet: " + option.longestName());
            }
        }
        if (files != null && !files.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume takes the stopped run's own "
                + "input files; give none: FILE=" + files);
        }
        final RunState state;
        try {
            InputPaths.requireReadableFile("--resume file", resumeFile.toString());
            state = RunState.read(resumeFile);
        } catch (final InputPaths.BadPathException ex) {
            return InputPaths.report(spec.commandLine(), ex);
        } catch (final IOException | IllegalArgumentException ex) {
            err.println("forklift run: cannot resume from '" + resumeFile + "': " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        if (!sameDirectory(Path.of(state.directory()), Path.of("").toAbsolutePath())) {
            err.println("forklift run: cannot resume from '" + resumeFile + "' here: run it in " + state.directory()
                + ", the directory of the stopped run (its paths are relative to it)");
            return ExitCodes.USAGE;
        }
        final CommandLine inner = new CommandLine(new RunCommand());
        inner.setOut(spec.commandLine().getOut());
        inner.setErr(err);
        try {
            inner.parseArgs(state.args().toArray(new String[0]));
        } catch (final CommandLine.ParameterException ex) {
            err.println("forklift run: cannot resume from '" + resumeFile + "': " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        final RunCommand run = inner.getCommand();
        run.quiet |= quiet;
        return run.start(err, new Resumed(resumeFile, state));
    }

    private static boolean sameDirectory(final Path first, final Path second) {
        try {
            return Files.isSameFile(first, second);
        } catch (final IOException ex) {
            return false;
        }
    }

    /**
     * A stop signal that may come before the run's loop exists (while the workers start): held until the loop is
     * attached, then passed on, on a thread of its own (a stop waits for the run to record it). Thread-safe.
     */
    private static final class StopRequest {
        private final AtomicInteger signal = new AtomicInteger();
        private final AtomicReference<RunLoop> loop = new AtomicReference<>();

        /** Called on the JVM's signal thread. */
        void signal(final int number) {
            signal.compareAndSet(0, number);
            final RunLoop attached = loop.get();
            if (attached != null) {
                attached.stop(number);
            }
        }

        /** Called on the command's thread once the loop exists. */
        void attach(final RunLoop attached) {
            loop.set(attached);
            final int early = signal.get();
            if (early != 0) {
                final Thread stopper = new Thread(() -> attached.stop(early), "forklift-run-stop");
                stopper.setDaemon(true);
                stopper.start();
            }
        }
    }

    /**
     * The run a {@code --resume} continues.
     *
     * @param file  its state file.
     * @param state what it recorded.
     */
    private record Resumed(Path file, RunState state) {
        /** Refuses to continue when an output or an input changed since the run stopped. */
        void check(final Path output, final Path failed, final List<String> inputs) throws InputPaths.BadPathException {
            for (final RunState.FileSize size : state.outputs()) {
                final Path path = Path.of(size.path());
                final long now;
                try {
                    now = Files.size(path);
                } catch (final IOException ex) {
                    throw new InputPaths.BadPathException("cannot resume: " + size.role() + " '" + size.path()
                        + "' is gone (" + ex.getMessage() + ")");
                }
                if (now != size.bytes()) {
                    throw new InputPaths.BadPathException("cannot resume: " + size.role() + " '" + size.path()
                        + "' changed since the run stopped (" + size.bytes() + " bytes then, " + now + " now)");
                }
            }
            for (final RunState.FileStamp stamp : state.inputs()) {
                final RunState.FileStamp now;
                try {
                    now = RunState.FileStamp.of(stamp.path());
                } catch (final IOException ex) {
                    throw new InputPaths.BadPathException("cannot resume: input '" + stamp.path() + "' is gone");
                }
                if (!now.equals(stamp)) {
                    throw new InputPaths.BadPathException("cannot resume: input '" + stamp.path() + "' changed since "
                        + "the run stopped");
                }
            }
        }
    }

    /** Fails fast, as a usage error, when the task class cannot be what a worker needs. */
    private void checkTaskClass(final CommandLine commandLine) {
        final Class<?> type;
        try (URLClassLoader loader = new URLClassLoader(urls(), RunCommand.class.getClassLoader())) {
            type = Class.forName(taskClass, false, loader);
            if (!Modifier.isPublic(type.getModifiers()) || !Function.class.isAssignableFrom(type)
                || Modifier.isAbstract(type.getModifiers())) {
                throw new CommandLine.ParameterException(commandLine, "task class '" + taskClass
                    + "' must be a public concrete class implementing java.util.function.Function<String, String>");
            }
            type.getConstructor();
        } catch (final ClassNotFoundException | LinkageError ex) {
            throw new CommandLine.ParameterException(commandLine, "task class '" + taskClass + "' not found"
                + (classpath == null ? " on the class path (use --classpath)" : " in --classpath " + classpath));
        } catch (final NoSuchMethodException ex) {
            throw new CommandLine.ParameterException(commandLine, "task class '" + taskClass
                + "' needs a public no-argument constructor");
        } catch (final IOException ex) {
            throw new CommandLine.ParameterException(commandLine, "cannot read --classpath " + classpath + ": "
                + ex.getMessage());
        }
    }

    private URL[] urls() {
        if (classpath == null) {
            return new URL[0];
        }
        final List<URL> urls = new ArrayList<>();
        for (final String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                urls.add(Path.of(entry).toUri().toURL());
            } catch (final MalformedURLException ex) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid --classpath entry '" + entry
                    + "'");
            }
        }
        return urls.toArray(new URL[0]);
    }
}
