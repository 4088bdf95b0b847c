package dev.forklift.pipeline;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A producer killed with kill -9 mid-source: its source is read again by a fresh producer, nothing lost or doubled. */
@ProcessDeadline(seconds = 120)
class PipelineRestartTest {
    private static volatile boolean announced;

    @TempDir
    Path tmp;

    private List<Path> files(final int count, final int lines) throws IOException {
        final List<Path> files = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            final int file = f;
            final Path path = tmp.resolve("in-" + f + ".txt");
            Files.write(path, IntStream.range(0, lines).mapToObj(i -> "f" + file + "-line" + i)
                .collect(Collectors.toList()));
            files.add(path);
        }
        return files;
    }

    /** Upper-cases each line (slowly), and emits every 10th line twice: two items at one position. */
    private static Stage<String, String> slowUpper(final String pidDir) {
        return (line, out) -> {
            if (!announced) {
                announced = true;
                try {
                    Files.writeString(Path.of(pidDir, Long.toString(ProcessHandle.current().pid())), "");
                } catch (final IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
            if (line.endsWith("POISON")) {
                Runtime.getRuntime().halt(137);
            }
            Thread.sleep(2);
            out.emit(line.toUpperCase());
            if (line.endsWith("0")) {
                out.emit(line.toUpperCase() + "#2");
            }
        };
    }

    @Test
    void aProducerKilledMidSourceLosesAndDuplicatesNoItem() throws Exception {
        final int lines = 400;
        final List<Path> inputs = files(3, lines);
        final Path pids = Files.createDirectory(tmp.resolve("pids"));
        final List<String> out = new ArrayList<>();
        final long[] killed = {-1};
        final PipelineResult result;
        try (Pipeline<String> pipeline = Pipeline.read(String.class, Sources.lines(inputs)).name("restart")
            .producers(2).map("upper", slowUpper(pids.toString()), String.class).producerRestarts(3).build()) {
            result = pipeline.run(item -> {
                out.add(item);
                if (out.size() == 150) {
                    killed[0] = killOneOf(pids);
                }
            });
        }
        assertThat(killed[0]).isPositive();
        final Map<String, Long> counts = out.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        final List<String> expected = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < lines; i++) {
                expected.add(("f" + f + "-line" + i).toUpperCase());
                if (i % 10 == 0) {
                    expected.add(("f" + f + "-line" + i).toUpperCase() + "#2");
                }
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(counts.values()).allMatch(c -> c == 1L);
        assertThat(result.itemsDelivered()).isEqualTo(expected.size());
        assertThat(result.producerRestarts()).isGreaterThanOrEqualTo(1);
        assertThat(result.failures()).isEmpty();
    }

    @Test
    void aSourceWhoseProducerDiesOnEveryAttemptFailsPerThePolicyAndTheOthersComplete() throws Exception {
        final List<Path> inputs = files(2, 50);
        Files.writeString(inputs.get(1), "f1-line50-POISON\n", java.nio.file.StandardOpenOption.APPEND);
        final Path pids = Files.createDirectory(tmp.resolve("pids"));
        final List<String> out = new ArrayList<>();
        final PipelineResult result;
        try (Pipeline<String> pipeline = Pipeline.read(String.class, Sources.lines(inputs)).name("poison")
            .producers(1).map("upper", slowUpper(pids.toString()), String.class).producerRestarts(1)
            .errorPolicy(ErrorPolicy.skipAndRecord()).build()) {
            result = pipeline.run(out::add);
        }
        assertThat(result.failures()).hasSize(1);
        final FailureRecord record = result.failures().get(0);
        assertThat(record.stage()).isEqualTo("read");
        assertThat(record.source()).contains("in-1.txt");
        assertThat(record.error()).contains("died reading it").contains("producerRestarts=1");
        // Source 0 in full, exactly once; source 1 up to the poison line, exactly once.
        final Map<String, Long> counts = new HashMap<>();
        out.forEach(s -> counts.merge(s, 1L, Long::sum));
        assertThat(counts.values()).allMatch(c -> c == 1L);
        assertThat(out.stream().filter(s -> s.startsWith("F0-")).count()).isEqualTo(55);
        assertThat(result.producerRestarts()).isEqualTo(1);

        try (Pipeline<String> strict = Pipeline.read(String.class, Sources.lines(inputs)).name("poison-ff")
            .producers(1).map("upper", slowUpper(pids.toString()), String.class).producerRestarts(1).build()) {
            assertThatThrownBy(() -> strict.run(s -> { })).isInstanceOf(PipelineFailedException.class)
                .hasMessageContaining("producerRestarts=1");
        }
    }

    @Test
    void aSourceNoProducerTookBeforeEveryProducerDiedGetsItsFirstReadAndThenEveryRestart() throws Exception {
        final List<Path> inputs = files(2, 20);
        for (final Path input : inputs) {
            Files.writeString(input, "POISON\n", java.nio.file.StandardOpenOption.APPEND);
        }
        final Path pids = Files.createDirectory(tmp.resolve("pids"));
        final PipelineResult result;
        try (Pipeline<String> pipeline = Pipeline.read(String.class, Sources.lines(inputs)).name("never-taken")
            .producers(1).map("upper", slowUpper(pids.toString()), String.class).producerRestarts(1)
            .errorPolicy(ErrorPolicy.skipAndRecord()).build()) {
            result = pipeline.run(s -> { });
        }
        // The only producer dies on in-0 before taking in-1: in-0 gets 1 restart; in-1 its first read by the
        // end-of-run sweep's producer, then 1 restart.
        assertThat(result.failures()).extracting(FailureRecord::source).hasSize(2)
            .anyMatch(s -> s.contains("in-0.txt")).anyMatch(s -> s.contains("in-1.txt"));
        assertThat(result.failures()).allMatch(r -> r.error().contains("died reading it"));
        assertThat(result.producerRestarts()).isEqualTo(3);
    }

    @Test
    void producerRestartsNeedProducersFeedingTheSink() {
        final List<Source<String>> one = List.of(Sources.iterable("x", new ArrayList<>(List.of("a"))));
        assertThatThrownBy(() -> Pipeline.read(String.class, one)
            .stage("s", 1, Routing.shared(), (Stage<String, String>) (s, out) -> out.emit(s), String.class)
            .producerRestarts(2).build()).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("producerRestarts=2");
    }

    private static long killOneOf(final Path pids) {
        try (Stream<Path> files = Files.list(pids)) {
            for (final Path file : files.collect(Collectors.toList())) {
                final long pid = Long.parseLong(file.getFileName().toString());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                    return pid;
                }
            }
            return -1;
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
