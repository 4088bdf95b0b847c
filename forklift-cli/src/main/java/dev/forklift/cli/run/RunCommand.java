package dev.forklift.cli.run;

import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.LibraryTerms;
import dev.forklift.cli.OptionValues;
import dev.forklift.cli.progress.LineCounter;
import dev.forklift.cli.progress.ProgressBar;
import dev.forklift.pool.Outcome;
import dev.forklift.pool.Pool;
import dev.forklift.pool.PoolBuilder;
import dev.forklift.pool.PoolFunctions;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.process.ChildOutput;
import dev.forklift.process.RemoteTaskException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code forklift run}: maps a user's {@code Function<String, String>} over the lines of files with a pool of
 * worker JVMs. Results go to standard output (or {@code --output}), one line each, in input order unless
 * {@code --unordered}; in order, a failed input leaves an empty line. Failures are listed on standard error at the
 * end, and with {@code --failed FILE} written to FILE as JSON lines (file, line, input, attempts, error, pid, exit
 * code, signal, timestamps, stack trace); {@code --retry-failed FILE} runs exactly the inputs of such a file again.
 * Exit code 0 when every input succeeded, 1 when any failed, 2 for usage errors.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Map a task over the lines of files with a pool of worker JVMs.",
        "CLASS is a public class with a public no-argument constructor implementing "
            + "java.util.function.Function<String, String>."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every input succeeded", "1:an input failed (listed on standard error)", "2:usage error"})
public final class RunCommand implements Callable<Integer> {
    private static final int MAX_ERROR_CHARS = 300;
    /** Failure records the run's pool keeps for {@code --failed}: more than a run has in flight. */
    private static final int FAILED_RECORDS = 10_000;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "CLASS", description = "The task class.")
    private String taskClass;

    @Option(names = "--workers", paramLabel = "N", description = "Worker JVMs (1-4096; default: the number of "
        + "cores).")
    private Integer workers;

    @Option(names = "--classpath", paramLabel = "CP", description = "Where the task class is, added to the "
        + "workers' class path.")
    private String classpath;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Longest time per input, such as 500ms, 3s, "
        + "2m; the worker running it is killed and replaced.")
    private String timeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", description = "Kill a worker whose heartbeat "
        + "stops for this long (stopped, frozen) and treat its input as a crash (default 30s, at least 1s).")
    private String heartbeatTimeout;

    @Option(names = "--max-rss", paramLabel = "SIZE", description = "Recycle a worker whose resident memory is above "
        + "SIZE after an input, such as 512m or 2g (at least 32m; default: no limit).")
    private String maxRss;

    @Option(names = "--max-input-size", paramLabel = "SIZE", description = "Largest input line, and largest "
        + "result, once encoded, such as 4m (4k to 64m; default 1m). A larger one fails alone.")
    private String maxInputSize;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2", description = "Retries of an input whose "
        + "worker crashed or timed out (0-100; default ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--unordered", description = "Write results as they complete, not in input order.")
    private boolean unordered;

    @Option(names = "--output", paramLabel = "FILE", description = "Write results to FILE instead of standard "
        + "output.")
    private Path output;

    @Option(names = "--quiet", description = "Draw no progress bar.")
    private boolean quiet;

    @Option(names = "--failed", paramLabel = "FILE", description = "Write each failed input to FILE as a JSON line "
        + "(file, line, input, attempts, error, message, pid, exitCode, signal, timestamps, stackTrace).")
    private Path failedFile;

    @Option(names = "--retry-failed", paramLabel = "FILE", description = "Run exactly the inputs listed in FILE "
        + "(written by --failed) instead of input files; a failure again names the original file and line.")
    private Path retryFailed;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Input files, one input per line; - for "
        + "standard input.")
    private List<String> files;

    @Override
    public Integer call() throws Exception {
        final PrintWriter err = spec.commandLine().getErr();
        final PoolBuilder builder = configure();
        final FailedInputs retrying;
        try {
            retrying = retryFailed == null ? null : FailedInputs.read(retryFailed);
        } catch (final IOException | IllegalArgumentException ex) {
            err.println("forklift run: cannot read --retry-failed " + retryFailed + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        final List<String> failures = new ArrayList<>();
        long failed = 0;
        try (Writer out = openOutput();
             LineSource lines = new LineSource(retrying == null ? files : List.of(), System.in);
             ProgressBar progress = new ProgressBar(err, ProgressBar.detectMode(quiet), "run",
                 ProgressBar.DEFAULT_PLAIN_INTERVAL_MS);
             Pool pool = builder.build();
             FailedLog failedLog = failedFile == null ? null
                 : new FailedLog(Files.newBufferedWriter(failedFile, StandardCharsets.UTF_8), pool)) {
            LineCounter.countInBackground(retrying == null ? files : List.of(), progress::total);
            final SerializableFunction<String, Object> task = PoolFunctions.byClassName(taskClass);
            final InputOrigins origins = retrying == null ? lines : retrying;
            final Iterator<Outcome<String, Object>> outcomes = pool.imapOutcomes(task,
                retrying == null ? lines : retrying.inputs(), !unordered);
            while (outcomes.hasNext()) {
                final Outcome<String, Object> outcome = outcomes.next();
                if (outcome.isSuccess()) {
                    out.write(String.valueOf(outcome.result()));
                    out.write('\n');
                    progress.addDone(1);
                } else {
                    failed++;
                    progress.addFailed(1);
                    if (!unordered) {
                        out.write('\n');
                    }
                    final long line = retrying == null ? outcome.index() + 1 : origins.line(outcome.index());
                    failures.add("line " + line + " " + quote(outcome.input()) + ": " + describe(outcome.error()));
                    if (failedLog != null) {
                        failedLog.failed(outcome.input(), outcome.error(), origins, outcome.index());
                    }
                }
            }
        }
        if (failed > 0) {
            err.println("forklift run: " + failed + " input(s) failed:");
            failures.forEach(line -> err.println("  " + line));
            err.flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    private PoolBuilder configure() {
        final CommandLine commandLine = spec.commandLine();
        final PoolBuilder builder = Pool.builder().name("run").output(ChildOutput.to(line ->
            commandLine.getErr().println(line)));
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
                builder.maxMessageBytes((int) OptionValues.size(commandLine, "--max-input-size", maxInputSize,
                    PoolBuilder.MIN_MESSAGE_BYTES, PoolBuilder.MAX_MESSAGE_BYTES));
            }
            OptionValues.inRange(commandLine, "--retries", retries, 0, 100);
            builder.retryPolicy(RetryPolicy.attempts(retries + 1).retryTimeouts(true));
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
            if (!Files.isReadable(retryFailed)) {
                throw new CommandLine.ParameterException(commandLine, "cannot read --retry-failed file '"
                    + retryFailed + "'");
            }
        } else if (files == null || files.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "no input FILE given (use - for standard input)");
        }
        if (failedFile != null && retryFailed != null
            && failedFile.toAbsolutePath().normalize().equals(retryFailed.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(commandLine, "--failed must not overwrite the --retry-failed "
                + "file it reads: --failed=" + failedFile);
        }
        for (final String file : files == null ? List.<String>of() : files) {
            if (!file.equals("-") && !Files.isReadable(Path.of(file))) {
                throw new CommandLine.ParameterException(commandLine, "cannot read input file '" + file + "'");
            }
        }
        checkTaskClass(commandLine);
        if (classpath != null) {
            builder.classpath(classpath + File.pathSeparator + System.getProperty("java.class.path"));
        }
        return builder;
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

    private Writer openOutput() throws IOException {
        if (output != null) {
            return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        }
        final PrintWriter out = spec.commandLine().getOut();
        return new Writer() {
            @Override
            public void write(final char[] buffer, final int offset, final int length) {
                out.write(buffer, offset, length);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    private static String quote(final String input) {
        final String text = input.length() > 80 ? input.substring(0, 80) + "..." : input;
        return "\"" + text + "\"";
    }

    private static String describe(final Throwable error) {
        final String text = error instanceof RemoteTaskException
            ? ((RemoteTaskException) error).remoteClassName() + (((RemoteTaskException) error).remoteMessage() == null
                ? "" : ": " + ((RemoteTaskException) error).remoteMessage())
            : error.getClass().getSimpleName() + ": " + error.getMessage();
        final String oneLine = LibraryTerms.inCliTerms(text.replace('\n', ' '));
        return oneLine.length() > MAX_ERROR_CHARS ? oneLine.substring(0, MAX_ERROR_CHARS) + "..." : oneLine;
    }
}
