package dev.forklift.bench.wordcount;

import dev.forklift.bench.DescribedCase;
import dev.forklift.bench.PythonPeer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Word count over the 4 x 50 MB corpus: Forklift's pipeline ({@link ForkliftWordCount}) against Python
 * {@code multiprocessing} with 4 producer processes and 1 consumer over one {@code Queue} ({@code wordcount_mp.py}).
 * Both timed from before their processes start to the merged result. Target: at least 8x.
 */
public final class WordCountVsPython extends DescribedCase {
    /** The case with its fixed description and target. */
    public WordCountVsPython() {
        super("WC-PY",
            "word count 4x50MB: Forklift, 2 producers, parent merges vs Python mp 4 producers + 1 consumer on one Queue",
            "MB/s", true, 8.0);
    }

    @Override
    public double runForklift() throws Exception {
        return ForkliftWordCount.run(WordCountCorpus.files()).megabytesPerSecond();
    }

    @Override
    public double runPeer() throws Exception {
        final List<Path> files = WordCountCorpus.files();
        final String[] args = new String[files.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = files.get(i).toString();
        }
        final Map<String, String> result = PythonPeer.run("wordcount_mp.py", 600, args);
        return Double.parseDouble(result.get("mb_per_s"));
    }
}
