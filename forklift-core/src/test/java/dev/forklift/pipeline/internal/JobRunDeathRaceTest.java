package dev.forklift.pipeline.internal;

import dev.forklift.pipeline.ErrorPolicy;
import dev.forklift.pipeline.FailureRecord;
import dev.forklift.pipeline.Pipeline;
import dev.forklift.pipeline.PipelineResult;
import dev.forklift.pipeline.Sources;
import dev.forklift.pipeline.Stage;
import dev.forklift.process.ChildProcess;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer that dies while the supervisor is between its look for failed processes and its check that every
 * producer exited: the death must be handled as a death (one restart of the source it was reading), never taken
 * for the normal end of the step (which would start a second producer for the same source by the end-of-run sweep).
 * The window is forced: the supervisor waits in it, through {@link JobRun#beforeStepEndCheck}, until the producer
 * has died.
 */
@ProcessDeadline(seconds = 120)
class JobRunDeathRaceTest {
    private static final Duration DEATH_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @AfterEach
    void removeHook() {
        JobRun.beforeStepEndCheck = null;
    }

    /** Upper-cases each line; the process halts (exit 137, as if killed) on a line ending in POISON. */
    private static Stage<String, String> upperOrDie() {
        return (line, out) -> {
            if (line.endsWith("POISON")) {
                Runtime.getRuntime().halt(137);
            }
            out.emit(line.toUpperCase());
        };
    }

    @Test
    void aProducerDyingBetweenTheFailureLookAndTheStepEndCheckIsRestartedOnce() throws Exception {
        final List<Path> inputs = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            final int file = f;
            final Path path = tmp.resolve("in-" + f + ".txt");
            Files.write(path, IntStream.range(0, 20).mapToObj(i -> "f" + file + "-line" + i)
                .collect(Collectors.toList()));
            inputs.add(path);
        }
        Files.writeString(inputs.get(1), "f1-POISON\n", StandardOpenOption.APPEND);
        final AtomicBoolean waited = new AtomicBoolean();
        JobRun.beforeStepEndCheck = producers -> {
            // Once: the first producer dies (on the poison line) while the supervisor is in the window.
            if (producers.size() == 1 && waited.compareAndSet(false, true)) {
                final ChildProcess first = producers.get(0);
                try {
                    assertThat(first.join(DEATH_WAIT)).as("the first producer died").isTrue();
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        final List<String> out = new ArrayList<>();
        final PipelineResult result;
        try (Pipeline<String> pipeline = Pipeline.read(String.class, Sources.lines(inputs)).name("death-race")
            .producers(1).map("upper", upperOrDie(), String.class).producerRestarts(1)
            .errorPolicy(ErrorPolicy.skipAndRecord()).build()) {
            result = pipeline.run(out::add);
        }
        assertThat(waited).isTrue();
        assertThat(result.failures()).hasSize(1);
        final FailureRecord record = result.failures().get(0);
        assertThat(record.source()).contains("in-1.txt");
        assertThat(record.error()).contains("died reading it").contains("producerRestarts=1");
        assertThat(out.stream().filter(s -> s.startsWith("F0-")).count()).isEqualTo(20);
        assertThat(out.stream().filter(s -> s.startsWith("F1-")).count()).isEqualTo(20);
        assertThat(result.producerRestarts()).as("restarts of the poisoned source, policy 1").isEqualTo(1);
    }
}
