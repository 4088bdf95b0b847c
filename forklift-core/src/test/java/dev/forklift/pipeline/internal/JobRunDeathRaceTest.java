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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deaths of producers against the supervisor's reading of them. A producer that dies while the supervisor is
 * between its look for failed processes and its check that every producer exited must be handled as a death (one
 * fresh producer for the source it was reading), never taken for the normal end of the step (the end-of-run sweep
 * would start a second producer for the same source); the window is forced: the supervisor waits in it, through
 * {@link JobRun#beforeStepEndCheck}, until the producer has died. Events a dead producer left behind must be read
 * before the supervisor decides what to restart.
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

    /**
     * Upper-cases each line; the first process to reach a line ending in POISON halts (exit 137, as if killed),
     * the next ones read it as any line.
     */
    private static Stage<String, String> upperOrDieOnce(final String marker) {
        return (line, out) -> {
            if (line.endsWith("POISON")) {
                try {
                    Files.createFile(Path.of(marker));
                    Runtime.getRuntime().halt(137);
                } catch (final java.nio.file.FileAlreadyExistsException died) {
                    // a producer died on it already
                }
            }
            out.emit(line.toUpperCase());
        };
    }

    @Test
    void aProducerDyingBetweenTheFailureLookAndTheStepEndCheckIsReplacedByOneProducer() throws Exception {
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
            .producers(1).map("upper", upperOrDieOnce(tmp.resolve("died").toString()), String.class)
            .producerRestarts(2).errorPolicy(ErrorPolicy.skipAndRecord()).build()) {
            result = pipeline.run(out::add);
        }
        assertThat(waited).isTrue();
        assertThat(result.failures()).isEmpty();
        assertThat(out.stream().filter(s -> s.startsWith("F0-")).count()).isEqualTo(20);
        assertThat(out.stream().filter(s -> s.startsWith("F1-")).count()).isEqualTo(21);
        assertThat(result.producerRestarts()).as("one death, one fresh producer").isEqualTo(1);
    }

    /**
     * Every producer halts (exit 137) right after it claims its 5th slot of a queue: the producer of in-0 (3 lines:
     * its announcement, 3 items, then the claim of the event that in-0 is done) dies holding a slot of the events
     * queue, unpublished. The producer of in-1 waits at its GATE line until that producer is dead, then finishes
     * in-1: its events come after the dead producer's slot. They must be read before the supervisor decides what to
     * restart: in-0 has its 1 restart (whose producer dies the same way), in-1 none.
     */
    @Test
    void eventsBehindASlotADeadProducerHeldAreReadBeforeTheSweep() throws Exception {
        final Path in0 = Files.write(tmp.resolve("in-0.txt"), List.of("a0", "a1", "a2"));
        final Path in1 = Files.write(tmp.resolve("in-1.txt"), List.of("GATE"));
        final Path marks = Files.createDirectory(tmp.resolve("marks"));
        final Path gate = tmp.resolve("gate");
        final Thread opener = new Thread(() -> openGateWhenTheReaderOfIn0Died(marks, gate), "gate-opener");
        opener.setDaemon(true);
        opener.start();
        final PipelineResult result;
        try (Pipeline<String> pipeline = Pipeline.read(String.class, Sources.lines(List.of(in0, in1)))
            .name("dead-writer").producers(2).map("gated", gated(marks.toString(), gate.toString()), String.class)
            .producerRestarts(1).errorPolicy(ErrorPolicy.skipAndRecord())
            .jvmOptions("-Dforklift.fault.queue.haltAfterWriteClaims=5").build()) {
            result = pipeline.run(s -> { });
        }
        opener.join(DEATH_WAIT.toMillis());
        assertThat(Files.exists(gate)).as("the reader of in-0 died").isTrue();
        assertThat(result.failures()).extracting(FailureRecord::source).hasSize(1).allMatch(s -> s.contains("in-0"));
        assertThat(result.producerRestarts()).as("in-0 restarted once, in-1 never").isEqualTo(1);
    }

    /** Marks the producer that reads a0 (file a0-PID); at a GATE line, waits up to a minute for the gate file. */
    private static Stage<String, String> gated(final String marks, final String gate) {
        return (line, out) -> {
            if (line.equals("a0")) {
                Files.writeString(Path.of(marks, "a0-" + ProcessHandle.current().pid()), "");
            }
            if (line.equals("GATE")) {
                final long deadlineNs = System.nanoTime() + DEATH_WAIT.toNanos();
                while (!Files.exists(Path.of(gate)) && System.nanoTime() < deadlineNs) {
                    Thread.sleep(10);
                }
            }
            out.emit(line);
        };
    }

    private static void openGateWhenTheReaderOfIn0Died(final Path marks, final Path gate) {
        final long deadlineNs = System.nanoTime() + DEATH_WAIT.toNanos();
        try {
            while (System.nanoTime() < deadlineNs) {
                try (java.util.stream.Stream<Path> files = Files.list(marks)) {
                    final java.util.Optional<Path> mark = files.findFirst();
                    if (mark.isPresent()) {
                        final long pid = Long.parseLong(mark.get().getFileName().toString().substring(3));
                        final java.util.Optional<ProcessHandle> reader = ProcessHandle.of(pid);
                        if (reader.isPresent()) {
                            reader.get().onExit().get(DEATH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        }
                        Files.writeString(gate, "");
                        return;
                    }
                }
                Thread.sleep(10);
            }
        } catch (final Exception ex) {
            throw new IllegalStateException("gate not opened", ex);
        }
    }
}
