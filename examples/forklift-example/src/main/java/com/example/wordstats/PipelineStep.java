package com.example.wordstats;

import dev.forklift.pipeline.Pipeline;
import dev.forklift.pipeline.Routing;
import dev.forklift.pipeline.Sources;
import dev.forklift.pipeline.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A pipeline: a producer JVM reads the lines, two stage JVMs split them into words, the parent counts them. */
public final class PipelineStep {
    private PipelineStep() {
    }

    /**
     * @param lines the lines.
     * @return how often each word occurs.
     * @throws InterruptedException if interrupted while it runs.
     */
    public static Map<String, Long> frequencies(final List<String> lines) throws InterruptedException {
        final Map<String, Long> counts = new TreeMap<>();
        try (Pipeline<String> pipeline = Pipeline.read(String.class,
                List.of(Sources.iterable("sample", new ArrayList<>(lines))))
            .stage("split", 2, Routing.shared(), (Stage<String, String>) (line, out) -> {
                for (final String word : TextStats.words(line)) {
                    out.emit(word);
                }
            }, String.class)
            .build()) {
            pipeline.run(word -> counts.merge(word, 1L, Long::sum)); // the sink runs in the parent, on one thread
        }
        return counts;
    }
}
