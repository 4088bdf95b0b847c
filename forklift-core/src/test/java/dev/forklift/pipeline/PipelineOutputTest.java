package dev.forklift.pipeline;

import dev.forklift.process.ChildOutput;
import dev.forklift.testing.ProcessDeadline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the output lines of a pipeline's processes go. */
@ProcessDeadline(seconds = 60)
class PipelineOutputTest {
    @Test
    void theLinesOfEveryProcessOfAPipelineGoToTheGivenOutputWithTheirPrefix() throws Exception {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> items = new CopyOnWriteArrayList<>();
        try (Pipeline<String> pipeline = Pipeline.read(String.class, List.of(Sources.iterable("words",
                new java.util.ArrayList<>(List.of("a", "b")))))
            .name("printing")
            .stage("shout", 1, Routing.shared(), (Stage<String, String>) (item, out) -> {
                System.out.println("shouting " + item);
                out.emit(item.toUpperCase());
            }, String.class)
            .output(ChildOutput.to(lines::add))
            .build()) {
            pipeline.run(items::add);
        }
        assertThat(items).containsExactlyInAnyOrder("A", "B");
        assertThat(lines).filteredOn(l -> l.contains("shouting")).hasSize(2)
            .allSatisfy(l -> assertThat(l).matches("\\[printing-shout-0 \\d+] shouting [ab]"));
    }
}
