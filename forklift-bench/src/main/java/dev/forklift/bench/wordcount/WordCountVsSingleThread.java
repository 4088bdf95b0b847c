package dev.forklift.bench.wordcount;

import dev.forklift.bench.DescribedCase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Word count over the 4 x 50 MB corpus: Forklift's pipeline ({@link ForkliftWordCount}, timed from before its
 * processes start) against the same reading and tokenizing on one thread ({@link SingleThreadedCount}, run in a
 * fresh JVM and timed from the start of its {@code main}, so its JVM start is not counted). Target: at least 1.6x.
 */
public final class WordCountVsSingleThread extends DescribedCase {
    /** The case with its fixed description and target. */
    public WordCountVsSingleThread() {
        super("WC-1T",
            "word count 4x50MB: Forklift, 2 producers, parent merges vs single-threaded Java (same tokenizer, fresh JVM)",
            "MB/s", true, 1.6);
    }

    @Override
    public double runForklift() throws Exception {
        return ForkliftWordCount.run(WordCountCorpus.files()).megabytesPerSecond();
    }

    @Override
    public double runPeer() throws Exception {
        final List<Path> files = WordCountCorpus.files();
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path"), SingleThreadedCount.class.getName()));
        files.forEach(f -> command.add(f.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("single-threaded count failed: " + output);
        }
        final String last = output.substring(output.lastIndexOf('\n') + 1);
        long bytes = 0;
        double seconds = 0;
        for (final String pair : last.split(" ")) {
            if (pair.startsWith("bytes=")) {
                bytes = Long.parseLong(pair.substring(6));
            } else if (pair.startsWith("seconds=")) {
                seconds = Double.parseDouble(pair.substring(8));
            }
        }
        return bytes / 1e6 / seconds;
    }
}
