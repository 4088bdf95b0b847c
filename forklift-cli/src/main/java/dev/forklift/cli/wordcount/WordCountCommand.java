package dev.forklift.cli.wordcount;

import dev.forklift.process.internal.StartupTrace;
import dev.forklift.cli.dashboard.DashboardOption;
import dev.forklift.dashboard.Dashboard;
import dev.forklift.cli.ExitCodes;
import dev.forklift.cli.InputPaths;
import dev.forklift.cli.OptionValues;
import dev.forklift.cli.progress.ProgressBar;
import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.FailureRecord;
import dev.forklift.pipeline.PipelineFailedException;
import dev.forklift.pipeline.Sources;
import dev.forklift.jobs.wordcount.SampleCorpus;
import dev.forklift.jobs.wordcount.WordCountJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code forklift wordcount}: counts words over many files with producer processes that tokenize (big files cut
 * into parts so the producers end together) and, with {@code --consumers M}, consumer processes that merge counts
 * by word partition; the parent merges the partitions (by default the producers' tables themselves) and prints the
 * top words (all counts with {@code --json}). Progress on standard error, drawn by the parent only. Exit code 1 when a file was
 * skipped (reported on standard error) or the job failed.
 *
 * <pre>
 *  PATH... --> producer 0..N-1 (read + tokenize + count) --partial counts by partition-->
 *              consumer 0..M-1 (merge one partition each) --> parent (union, top K, print)
 * </pre>
 */
@Command(name = "wordcount", mixinStandardHelpOptions = true,
    description = "Count words over many files with producer and consumer processes.",
    footer = {"", "Words are maximal runs of Unicode letters and digits (Character.isLetterOrDigit on code points), "
        + "lower-cased with toLowerCase(Locale.ROOT); invalid UTF-8 bytes separate words. See docs/pipelines.md."})
public final class WordCountCommand implements Callable<Integer> {
    /** Files of the sample corpus that {@code --sample} writes. */
    private static final int SAMPLE_FILES = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--producers", defaultValue = "2", paramLabel = "N",
        description = "Most producer processes that read and tokenize (1-64, default ${DEFAULT-VALUE}); fewer when"
            + " the input is small (one per 16 MiB).")
    private int producers;

    @Option(names = "--consumers", defaultValue = "0", paramLabel = "M",
        description = "Consumer processes that merge counts, one word partition each (0-64, default ${DEFAULT-VALUE}:"
            + " the parent merges the producers' tables itself, the fastest on few cores; see docs/pipelines.md).")
    private int consumers;

    @Option(names = "--top", defaultValue = "20", paramLabel = "K", description = "Words to print (default ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--json", description = "Print every count as JSON on standard output.")
    private boolean json;

    @Option(names = "--quiet", description = "Draw no progress.")
    private boolean quiet;

    @Option(names = "--sample", paramLabel = "DIR", description = "First write a sample corpus into DIR (new, empty, "
        + "or holding an earlier sample only), then count it.")
    private Path sample;

    @Option(names = "--sample-mb", defaultValue = "8", paramLabel = "MB",
        description = "Size of each of the 4 sample files, in MB (default ${DEFAULT-VALUE}).")
    private int sampleMb;

    @Option(names = "--fail-fast", description = "Stop at the first unreadable file instead of skipping it.")
    private boolean failFast;

    @Option(names = "--dead-letter", paramLabel = "FILE", description = "Also write each failure as a JSON line to FILE.")
    private Path deadLetter;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files, directories (read recursively) and globs.")
    private List<String> paths = new ArrayList<>();

    /** {@code --dashboard [PORT]} and {@code --allow-actions}: the live page of this job. */
    @CommandLine.Mixin
    private final DashboardOption dashboard = new DashboardOption();

    @Override
    public Integer call() throws Exception {
        StartupTrace.stamp("cli wordcount: parsed, call");
        try (Dashboard page = dashboard.start(spec.commandLine().getErr())) {
            return runWithoutPage();
        }
    }

    /** The command itself; {@link #call} serves the {@code --dashboard} page around it. */
    private Integer runWithoutPage() throws Exception {
        validate();
        try {
            checkPaths();
        } catch (final InputPaths.BadPathException ex) {
            return InputPaths.report(spec.commandLine(), ex);
        }
        return count(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * A command whose options come from {@link PlainWordCount} instead of picocli: the paths and flags given, every
     * other field at its annotation's default.
     */
    static WordCountCommand plain(final List<String> paths, final boolean quiet, final boolean json) {
        final WordCountCommand command = new WordCountCommand();
        command.producers = 2;
        command.consumers = 0;
        command.top = 20;
        command.sampleMb = 8;
        command.paths = new ArrayList<>(paths);
        command.quiet = quiet;
        command.json = json;
        return command;
    }

    /** The count, once the options and paths are checked: writes to {@code out} and {@code err}. */
    int count(final PrintWriter out, final PrintWriter err) throws Exception {
        final List<String> arguments = new ArrayList<>(paths);
        if (sample != null) {
            checkSampleDirectory();
            for (final Path file : SampleCorpus.write(sample, SAMPLE_FILES, sampleMb * 1_000_000L, 42)) {
                arguments.add(file.toString());
            }
        }
        warnOfGlobsMatchingNothing(paths, err);
        final List<Path> files = Sources.expand(arguments);
        if (files.isEmpty()) {
            err.println("forklift wordcount: no files in " + arguments);
            return ExitCodes.FAILURE;
        }
        final long totalBytes = files.stream().mapToLong(WordCountCommand::sizeOf).sum();
        final WordCountJob.Result result;
        try (ProgressBar bar = new ProgressBar(err, ProgressBar.detectMode(quiet), "wordcount: files", 1_000)) {
            StartupTrace.stamp("cli wordcount: paths expanded, job run");
            bar.total(files.size());
            bar.totalBytes(totalBytes);
            result = new WordCountJob(files).producers(producers).consumers(consumers).errorPolicy(policy())
                .onProgress((bytes, items, failures, sourcesDone) -> {
                    bar.addBytes(bytes);
                    bar.addFailed(failures);
                    bar.addDone(sourcesDone);
                }).run();
        } catch (final PipelineFailedException ex) {
            err.println("forklift wordcount: stopped: " + ex.record());
            return ExitCodes.FAILURE;
        }
        StartupTrace.stamp("cli wordcount: job done");
        for (final FailureRecord failure : result.pipeline().failures()) {
            err.println("forklift wordcount: skipped " + failure.source() + ": " + failure.error());
        }
        if (json) {
            WordCountReport.printJson(out, files.size(), result, WordCountReport.rank(result.counts().toMap()));
        } else {
            WordCountReport.printTop(out, WordCountReport.top(result.counts(), top), top);
            WordCountReport.printSummary(out, files.size(), result, result.counts().size());
        }
        out.flush();
        err.flush();
        StartupTrace.stamp("cli wordcount: printed");
        return result.pipeline().failures().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /**
     * Refuses a sample directory that holds anything but an earlier sample: its other files would be counted with
     * the sample (or overwritten). An earlier sample's files are written again.
     */
    private void checkSampleDirectory() throws java.io.IOException {
        if (!Files.exists(sample)) {
            return;
        }
        if (!Files.isDirectory(sample)) {
            throw OptionValues.problem(spec.commandLine(), "--sample", sample.toString(), "not a directory");
        }
        final java.util.Set<String> sampleNames = new java.util.HashSet<>();
        for (int f = 0; f < SAMPLE_FILES; f++) {
            sampleNames.add(SampleCorpus.fileName(f));
        }
        try (java.util.stream.Stream<Path> entries = Files.list(sample)) {
            final List<String> others = entries.map(entry -> entry.getFileName().toString())
                .filter(name -> !sampleNames.contains(name)).sorted().collect(java.util.stream.Collectors.toList());
            if (!others.isEmpty()) {
                throw OptionValues.problem(spec.commandLine(), "--sample", sample.toString(), "the directory is not "
                    + "empty (" + others.size() + " other entr" + (others.size() == 1 ? "y" : "ies") + ", such as '"
                    + others.get(0) + "'); give a new or empty directory, so that only the sample is counted");
            }
        }
    }

    /** Warns of each glob among the paths that matches no file (the count goes on with the others). */
    private static void warnOfGlobsMatchingNothing(final List<String> paths, final PrintWriter err) {
        for (final String path : paths) {
            if (Sources.isGlob(path) && Sources.expand(List.of(path)).isEmpty()) {
                err.println("forklift wordcount: warning: '" + path + "' matches no file");
            }
        }
    }

    private ErrorPolicy policy() {
        if (deadLetter != null) {
            return ErrorPolicy.deadLetter(deadLetter);
        }
        return failFast ? ErrorPolicy.failFast() : ErrorPolicy.skipAndRecord();
    }

    private static long sizeOf(final Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (final java.io.IOException ex) {
            return 0;
        }
    }

    private void validate() {
        checkRange("--producers", producers, 1, 64);
        checkRange("--consumers", consumers, 0, 64);
        checkRange("--top", top, 0, 1_000_000);
        checkRange("--sample-mb", sampleMb, 1, 1_000);
        if (paths.isEmpty() && sample == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give at least one PATH, or --sample DIR");
        }
        if (failFast && deadLetter != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--fail-fast and --dead-letter exclude each other");
        }
    }

    /** Every PATH that is no glob must be there, and --dead-letter must be writable: checked before any process. */
    private void checkPaths() throws InputPaths.BadPathException {
        for (final String path : paths) {
            if (!path.matches(".*[*?\\[{].*")) { // not a glob, as Sources.expand tells them apart
                InputPaths.requireReadablePath("input", path);
            }
        }
        if (deadLetter != null) {
            InputPaths.requireWritableFile("--dead-letter", deadLetter);
        }
    }

    private void checkRange(final String option, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                option + " must be in " + min + ".." + max + ": " + value);
        }
    }
}
