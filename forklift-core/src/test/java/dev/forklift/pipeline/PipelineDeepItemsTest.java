package dev.forklift.pipeline;

import dev.forklift.testing.Link;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An item nested deeper than the object codec carries fails alone where it is emitted, per the error policy, with
 * the limit named; every other item reaches the sink. Before, one just over the limit was accepted by the producer
 * and failed the sink's take (the run failed), and one 300,000 deep overflowed the stack while being put.
 */
@ProcessDeadline(seconds = 120)
class PipelineDeepItemsTest {
    @Test
    void anItemDeeperThanTheLimitFailsAloneAndEveryOtherItemArrives() throws Exception {
        final List<String> lines = IntStream.range(0, 10).mapToObj(Integer::toString)
            .collect(Collectors.toCollection(ArrayList::new));
        final List<Integer> lengths = new CopyOnWriteArrayList<>();
        try (Pipeline<Link> pipeline = Pipeline.read(String.class, List.of(Sources.iterable("numbers", lines)))
            .name("deep-items")
            .stage("chain", 1, Routing.shared(), (Stage<String, Link>) (item, out) -> {
                final int n = Integer.parseInt(item);
                out.emit(Link.chain(n == 3 ? 65 : n == 7 ? 300_000 : n + 1));
            }, Link.class)
            .allow(Link.class).errorPolicy(ErrorPolicy.skipAndRecord()).build()) {
            final PipelineResult result = pipeline.run(link -> lengths.add(link.length()));
            assertThat(lengths).containsExactlyInAnyOrder(1, 2, 3, 5, 6, 7, 9, 10);
            assertThat(result.failures()).hasSize(2).allSatisfy(failure -> {
                assertThat(failure.stage()).isEqualTo("chain");
                assertThat(failure.error()).contains("maxDepth=64").contains("maxObjectDepth");
            });
            assertThat(result.failures()).extracting(FailureRecord::position).containsExactlyInAnyOrder(3L, 7L);
        }
    }
}
