package dev.forklift.bench.wordcount;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.Limit;
import dev.forklift.bench.PythonPeer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Word count over a generated corpus of 4 files, every side timed as a whole command from the shell's point of
 * view (process start to exit, start-up included), in MB/s of input. Forklift: {@code forklift wordcount --quiet
 * FILES} with its default options. Peers: the single-threaded Java count ({@link SingleThreadedCount}, a fresh
 * JVM with default settings), or Python's pipeline ({@code wordcount_mp.py}: 4 producer processes and 1 consumer
 * on one {@code mp.Queue}, run as {@code python3 wordcount_mp.py FILES}). The cases against one Java thread show
 * the machine's bound beside them ({@link #limit}): two single-threaded counts started at once, each over half the
 * files, from the start of both to the end of the later, so a ratio the machine cannot give two processes is seen as
 * such.
 */
public final class WordCountCommandCase extends DescribedCase {
    private final long bytesPerFile;
    private final boolean python;
    private boolean warm;

    private WordCountCommandCase(final String name, final long bytesPerFile, final boolean python,
        final double target) {
        super(name, "word count 4x" + bytesPerFile / 1_000_000 + "MB, whole commands with start-up: `forklift"
            + " wordcount --quiet` (default options) vs " + (python ? "python3 wordcount_mp.py (mp, 4 producers"
            + " + 1 consumer on one Queue)" : "java SingleThreadedCount (one thread, same tokenizer, default JVM)")
            + "; files in the page cache, one untimed forklift run first", "MB/s", true, target);
        this.bytesPerFile = bytesPerFile;
        this.python = python;
    }

    /** @return the cases: 4 x 50 MB and 4 x 250 MB, each against Python and against one Java thread. */
    public static List<WordCountCommandCase> all() {
        return List.of(
            new WordCountCommandCase("WC-PY", WordCountCorpus.BYTES_PER_FILE, true, 8.0),
            new WordCountCommandCase("WC-1T", WordCountCorpus.BYTES_PER_FILE, false, 1.6),
            new WordCountCommandCase("WC-PY250", WordCountCorpus.LARGE_BYTES_PER_FILE, true, 8.0),
            new WordCountCommandCase("WC-1T250", WordCountCorpus.LARGE_BYTES_PER_FILE, false, 1.7));
    }

    /**
     * @return for the cases against one thread: two {@link SingleThreadedCount} JVMs at once, each over 2 of the 4
     *         files, whole commands, MB/s of all 4 files; null for the cases against Python.
     */
    @Override
    public Limit limit() {
        return python ? null : new TwoSingleThreadedCounts(bytesPerFile);
    }

    @Override
    public double runForklift() throws Exception {
        final List<Path> files = WordCountCorpus.files(bytesPerFile);
        final List<String> command = new ArrayList<>(List.of(WholeCommand.forklift(), "wordcount", "--quiet"));
        command.addAll(WholeCommand.paths(files));
        if (!warm) {
            // Once per case, untimed: the launcher builds its jar if the sources changed and the child JVMs'
            // class-data archive is made, as on any machine after the first run; the files enter the page cache.
            WholeCommand.seconds(command, 900);
            warm = true;
        }
        return megabytesPerSecond(files, WholeCommand.seconds(command, 900));
    }

    @Override
    public double runPeer() throws Exception {
        final List<Path> files = WordCountCorpus.files(bytesPerFile);
        final List<String> command = new ArrayList<>();
        if (python) {
            command.add(System.getenv().getOrDefault("FORKLIFT_PYTHON", "python3"));
            command.add(PythonPeer.extract("wordcount_mp.py").toString());
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SingleThreadedCount.class.getName()));
        }
        command.addAll(WholeCommand.paths(files));
        return megabytesPerSecond(files, WholeCommand.seconds(command, 900));
    }

    private static double megabytesPerSecond(final List<Path> files, final double seconds) {
        return WordCountCorpus.totalBytes(files) / 1e6 / seconds;
    }

    /** Two single-threaded counts at once, each a whole command over half the files: what 2 cores give 2 processes. */
    private static final class TwoSingleThreadedCounts implements Limit {
        private final long bytesPerFile;

        TwoSingleThreadedCounts(final long bytesPerFile) {
            this.bytesPerFile = bytesPerFile;
        }

        @Override
        public String name() {
            return "2 x one thread " + WordCountCorpus.FILES + "x" + bytesPerFile / 1_000_000 + "MB";
        }

        @Override
        public boolean higherIsBetter() {
            return true;
        }

        @Override
        public double measure() throws Exception {
            final List<Path> files = WordCountCorpus.files(bytesPerFile);
            final int half = files.size() / 2;
            final long start = System.nanoTime();
            final Process first = start(files.subList(0, half));
            final Process second = start(files.subList(half, files.size()));
            waitFor(first);
            waitFor(second);
            return megabytesPerSecond(files, (System.nanoTime() - start) / 1e9);
        }

        private static Process start(final List<Path> files) throws IOException {
            final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), SingleThreadedCount.class.getName()));
            command.addAll(WholeCommand.paths(files));
            return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        private static void waitFor(final Process process) throws IOException, InterruptedException {
            if (!process.waitFor(900, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("a single-threaded count did not finish within 900 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("a single-threaded count exited with " + process.exitValue());
            }
        }
    }
}
