package dev.forklift.sync;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared map: exact results of compute from several processes, and no torn entry after a writer's death. */
@ProcessDeadline(seconds = 120)
class SharedMapTest {
    private static final Duration JOIN = Duration.ofSeconds(60);

    /** Adds 1 to counters c0..c7 by compute, {@code count} times in all. */
    public static final class Incrementer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final SharedMap<String, Long> map = context.arg(0, SharedMap.class);
            final long count = context.arg(1, Long.class);
            for (long i = 0; i < count; i++) {
                map.compute("c" + (i % 8), (k, v) -> v == null ? 1L : v + 1);
            }
        }
    }

    /** Opens the map by name and overwrites one key with 200 copies of a letter, the letter changing each time. */
    public static final class Overwriter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            try (SharedMap<String, String> map = SharedMap.open(context.arg(0, String.class), String.class,
                String.class)) {
                for (int i = 1; ; i++) {
                    map.put("doc", letters(i));
                }
            }
        }
    }

    static String letters(final int version) {
        return String.valueOf((char) ('a' + version % 26)).repeat(200);
    }

    @Test
    void processesComputingOnSharedKeysGiveExactlyTheSum() throws Exception {
        try (SharedMap<String, Long> map = SharedMap.create(null, String.class, Long.class, 64, 16, 16)) {
            final long perProcess = 2_000;
            final List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                children.add(ChildProcess.builder(Incrementer.class).role("incrementer").args(map, perProcess).start());
            }
            for (long i = 0; i < perProcess; i++) {
                map.compute("c" + (i % 8), (k, v) -> v == null ? 1L : v + 1);
            }
            for (final ChildProcess child : children) {
                child.joinAndCheck(JOIN);
                child.close();
            }
            final Map<String, Long> snapshot = map.snapshot();
            assertThat(snapshot).hasSize(8);
            assertThat(snapshot.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3 * perProcess);
            assertThat(map.size()).isEqualTo(8);
        }
    }

    @Test
    void aWriterKilledHalfWayThroughAnEntryLeavesNoTornEntryAndTheOthersGoOn() throws Exception {
        try (SharedMap<String, String> map = SharedMap.create("docs-map", String.class, String.class, 16, 16, 256);
             ChildProcess writer = ChildProcess.builder(Overwriter.class).role("writer")
                 .systemProperty(FaultPoints.HALT_IN_MAP_WRITE_PROP_NAME, "50").args(map.name()).start()) {
            writer.join(JOIN);
            assertThat(writer.exitCode()).as("halted half-way through its 50th write").isEqualTo(137);
            final long startNs = System.nanoTime();
            assertThat(map.get("doc")).as("the cut write, redone whole").isEqualTo(letters(50));
            assertThat(System.nanoTime() - startNs).isLessThan(Duration.ofSeconds(20).toNanos());
            assertThat(map.writerDeaths()).isEqualTo(1);
            map.put("doc", letters(7));
            assertThat(map.get("doc")).isEqualTo(letters(7));
        }
    }

    @Test
    void getPutRemoveAndLimitsFailFastWithAMessage() {
        try (SharedMap<String, Integer> map = SharedMap.create(null, String.class, Integer.class, 4, 8, 8)) {
            assertThat(map.put("a", 1)).isNull();
            assertThat(map.put("a", 2)).isEqualTo(1);
            assertThat(map.get("a")).isEqualTo(2);
            assertThat(map.get("missing")).isNull();
            assertThat(map.remove("a")).isEqualTo(2);
            assertThat(map.containsKey("a")).isFalse();
            for (int i = 0; i < 4; i++) {
                map.put("k" + i, i);
            }
            assertThatThrownBy(() -> map.put("k4", 4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is full: it holds capacity=4 entries");
            assertThatThrownBy(() -> map.put("a-very-long-key", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the key encodes to 15 bytes, more than the map's maxKeyBytes=8");
            assertThat(map.snapshot()).containsOnlyKeys("k0", "k1", "k2", "k3");
            assertThatThrownBy(() -> SharedMap.create(null, String.class, String.class, 0, 8, 8))
                .hasMessageContaining("capacity=0");
        }
    }

    @Test
    void aValueTooLargeIsRefusedWithItsSizeAndTheLimitByTheirNames() {
        try (SharedMap<String, String> map = SharedMap.create(null, String.class, String.class, 4, 8, 16)) {
            assertThatThrownBy(() -> map.put("a", "x".repeat(40))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the value encodes to 40 bytes, more than the map's maxValueBytes=16");
            assertThat(map.snapshot()).isEmpty();
        }
    }

    @Test
    void aMapOpenedWithAnotherValueTypeFailsNamingTheMapAndTheCodecNotWithABareSizeError() {
        try (SharedMap<String, String> created = SharedMap.create("map-typed-string", String.class, String.class, 4,
            8, 16);
             SharedMap<String, Long> opened = SharedMap.open("map-typed-string", String.class, Long.class)) {
            created.put("a", "b");
            assertThatThrownBy(() -> opened.get("a")).isInstanceOf(dev.forklift.codec.CodecException.class)
                .hasMessageContaining("map-typed-string").hasMessageContaining("value")
                .hasMessageContaining("created with another value type");
            assertThatThrownBy(opened::snapshot).hasMessageContaining("created with another value type");
            assertThat(created.get("a")).as("the map itself is untouched").isEqualTo("b");
        }
    }

    @Test
    void aFullSegmentIsToldApartFromAFullMap() {
        try (SharedMap<String, Integer> map = SharedMap.create(null, String.class, Integer.class, 32, 8, 8)) {
            int added = 0;
            IllegalStateException refused = null;
            for (int i = 0; i < 1_000 && refused == null; i++) {
                try {
                    map.put("k" + i, i);
                    added++;
                } catch (final IllegalStateException ex) {
                    refused = ex;
                }
            }
            assertThat(refused).isNotNull();
            if (added < map.capacity()) {
                assertThat(refused).hasMessageContaining("has no room for this key")
                    .hasMessageContaining("segment").hasMessageContaining("of 16")
                    .hasMessageContaining("holds " + added + " of capacity=32");
            } else {
                assertThat(refused).hasMessageContaining("is full: it holds capacity=32 entries");
            }
        }
    }
}
