package dev.forklift.cli.run;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inputs a continued {@code forklift run} hands out, and what it knows about the ones it did not. */
class RunInputsTest {
    private static LineSource lines(final int count) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("r").append(i).append('\n');
        }
        return new LineSource(List.of("-"), new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8, 1024);
    }

    @Test
    void aContinuationHandsOutTheListedRecordsThenEveryRecordFromNextAndMapsEachBack() {
        final LineSource source = lines(10);
        final RunInputs inputs = new RunInputs(source, new long[] {2, 5}, 7);
        final List<String> handed = new ArrayList<>();

        handed.add(inputs.next());
        assertThat(inputs.listedNotHanded()).containsExactly(5);
        assertThat(inputs.firstNotHanded()).isEqualTo(7);
        inputs.forEachRemaining(handed::add);

        assertThat(handed).containsExactly("r2", "r5", "r7", "r8", "r9");
        assertThat(List.of(0L, 1L, 2L, 4L)).map(inputs::recordOf).containsExactly(2L, 5L, 7L, 9L);
        assertThat(source.origin(inputs.recordOf(1))).isEqualTo("standard input line 6");
        assertThat(inputs.listedNotHanded()).isEmpty();
        assertThat(inputs.firstNotHanded()).isEqualTo(10);
        assertThat(inputs.allHanded()).isTrue();
    }

    @Test
    void aStoppedSourceHandsOutNothingMore() {
        final RunInputs inputs = new RunInputs(lines(5), new long[0], 0);
        assertThat(inputs.next()).isEqualTo("r0");
        assertThat(inputs.hasNext()).isTrue();
        inputs.stop();
        assertThat(inputs.hasNext()).isFalse();
        assertThat(inputs.firstNotHanded()).isEqualTo(1);
        assertThat(inputs.allHanded()).isFalse();
        assertThatThrownBy(() -> new RunInputs(lines(5), new long[] {3, 2}, 4)).hasMessageContaining("ascend");
    }
}
