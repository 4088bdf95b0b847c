package dev.forklift.jobs.wordcount;

import dev.forklift.pipeline.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The word count's plan: units smaller than a big file, and no more producers than the input pays for. */
class WorkUnitsTest {
    @Test
    void shouldStartOneProducerForTinyFilesEachOneUnit(@TempDir final Path dir) throws Exception {
        final List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(Files.writeString(dir.resolve("f" + i + ".txt"), "the quick brown fox\n"));
        }

        final WorkUnits plan = WorkUnits.plan(files, 2, 1 << 20);

        assertThat(plan.producers()).isEqualTo(1);
        assertThat(plan.sources()).extracting(Source::name).containsExactly(files.stream().map(Path::toString)
            .toArray(String[]::new));
    }

    @Test
    void shouldCutBigFilesIntoUnitsThatShrinkTowardsTheEndCoveringEachFile(@TempDir final Path dir) throws Exception {
        final List<Path> files = List.of(sparse(dir.resolve("a"), 250_000_000L), sparse(dir.resolve("b"), 1_000),
            sparse(dir.resolve("c"), 250_000_000L));

        final WorkUnits plan = WorkUnits.plan(files, 2, 1 << 20);

        assertThat(plan.producers()).isEqualTo(2);
        final List<FileRangeSource> units = new ArrayList<>();
        plan.sources().forEach(s -> units.add((FileRangeSource) s));
        assertThat(units).hasSizeBetween(25, 40);
        for (final Path file : files) {
            final List<FileRangeSource> parts = units.stream().filter(u -> u.name().equals(file.toString())).toList();
            assertThat(parts.get(0).from()).isZero();
            assertThat(parts.get(parts.size() - 1).to()).isEqualTo(Long.MAX_VALUE);
            for (int p = 1; p < parts.size(); p++) {
                assertThat(parts.get(p).from()).isEqualTo(parts.get(p - 1).to());
            }
        }
        assertThat(units.stream().filter(u -> u.name().endsWith("b"))).hasSize(1);
        // Guided: big units first (few hand-overs), small ones last, so the producers end within a small unit.
        final long first = units.get(0).to() - units.get(0).from();
        final FileRangeSource beforeLast = units.get(units.size() - 2);
        final long last = 250_000_000L - units.get(units.size() - 1).from();
        assertThat(first).isGreaterThan(8 * WorkUnits.MIN_UNIT_BYTES);
        assertThat(beforeLast.to() - beforeLast.from()).isEqualTo(WorkUnits.MIN_UNIT_BYTES);
        assertThat(last).isLessThan(WorkUnits.MIN_UNIT_BYTES * 3 / 2);
    }

    @Test
    void shouldKeepAFileOfUnknownSizeAsOneUnitAndNeverAskMoreProducersThanUnits(@TempDir final Path dir)
        throws Exception {
        final List<Path> files = List.of(dir.resolve("missing.txt"), sparse(dir.resolve("big"), 100_000_000L));

        final WorkUnits plan = WorkUnits.plan(files, 64, 1 << 20);

        assertThat(plan.sources().get(0).name()).endsWith("missing.txt");
        assertThat(((FileRangeSource) plan.sources().get(1)).from()).isZero();
        assertThat(plan.producers()).isLessThanOrEqualTo(plan.sources().size()).isEqualTo(6);
        assertThatThrownBy(() -> WorkUnits.plan(files, 0, 1)).hasMessageContaining("maxProducers=0");
    }

    private static Path sparse(final Path file, final long bytes) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
        return file;
    }
}
