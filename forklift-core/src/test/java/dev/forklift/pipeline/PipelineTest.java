package dev.forklift.pipeline;

import dev.forklift.process.ProcessRow;
import dev.forklift.process.ProcessTable;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pipelines across real child processes: routing, ordering, error policies, back-pressure, slow sources. */
@ProcessDeadline(seconds = 120)
class PipelineTest {
    private static List<Source<String>> numbered(final int sources, final int items) {
        final List<Source<String>> list = new ArrayList<>();
        for (int s = 0; s < sources; s++) {
            final int source = s;
            list.add(Sources.iterable("src-" + s, IntStream.range(0, items).mapToObj(i -> source + ":" + i)
                .collect(Collectors.toCollection(ArrayList::new))));
        }
        return list;
    }

    private static Pipeline<String> failingOn(final String bad, final ErrorPolicy policy) {
        return Pipeline.read(String.class, numbered(2, 50)).name("failing")
            .stage("check", 1, Routing.shared(), (Stage<String, String>) (item, out) -> {
                if (item.equals(bad)) {
                    throw new IllegalArgumentException("bad item " + item);
                }
                out.emit(item);
            }, String.class)
            .errorPolicy(policy).build();
    }

    @Test
    void shouldStopAtTheFirstFailureUnderFailFast() {
        final List<String> seen = new CopyOnWriteArrayList<>();
        try (Pipeline<String> pipeline = failingOn("1:7", ErrorPolicy.failFast())) {
            assertThatThrownBy(() -> pipeline.run(seen::add)).isInstanceOf(PipelineFailedException.class)
                .satisfies(ex -> {
                    final FailureRecord record = ((PipelineFailedException) ex).record();
                    assertThat(record.stage()).isEqualTo("check");
                    assertThat(record.source()).isEqualTo("src-1");
                    assertThat(record.position()).isEqualTo(7);
                    assertThat(record.error()).contains("IllegalArgumentException").contains("bad item 1:7");
                });
        }
        assertThat(seen).doesNotContain("1:7");
    }

    @Test
    void shouldSkipAndRecordAndWriteDeadLetters(@TempDir final Path dir) throws Exception {
        final Path deadLetters = dir.resolve("dead.jsonl");
        final List<String> seen = new CopyOnWriteArrayList<>();

        final PipelineResult result = failingOn("0:3", ErrorPolicy.deadLetter(deadLetters)).run(seen::add);

        assertThat(seen).hasSize(99).doesNotContain("0:3");
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.source()).isEqualTo("src-0");
            assertThat(f.position()).isEqualTo(3);
            assertThat(f.stage()).isEqualTo("check");
        });
        assertThat(Files.readAllLines(deadLetters)).singleElement().asString()
            .contains("\"stage\":\"check\"").contains("\"source\":\"src-0\"").contains("\"position\":3")
            .contains("bad item 0:3");

        final PipelineResult skipped = failingOn("1:49", ErrorPolicy.skipAndRecord()).run(item -> { });
        assertThat(skipped.itemsDelivered()).isEqualTo(99);
        assertThat(skipped.failures()).singleElement().extracting(FailureRecord::position).isEqualTo(49L);
    }

    @Test
    void shouldRouteEveryKeyToOneProcessAndDeliverInSourceOrder() throws Exception {
        final List<String> seen = new ArrayList<>();
        final Pipeline<String> pipeline = Pipeline.read(String.class, numbered(3, 200)).name("keyed").producers(2)
            .stage("tag", 3, Routing.byKey((String item) -> Integer.parseInt(item.split(":")[1]) % 10),
                (Stage<String, String>) (item, out) -> out.emit(item + "@" + ProcessHandle.current().pid()),
                String.class)
            .ordered(true).build();

        final PipelineResult result = pipeline.run(seen::add);

        assertThat(result.itemsDelivered()).isEqualTo(600);
        final Map<Integer, Set<String>> pidsByKey = new HashMap<>();
        for (final String item : seen) {
            final String[] parts = item.split("[:@]");
            pidsByKey.computeIfAbsent(Integer.parseInt(parts[1]) % 10, k -> new HashSet<>()).add(parts[2]);
        }
        assertThat(pidsByKey).hasSize(10).allSatisfy((key, pids) -> assertThat(pids).as("key " + key).hasSize(1));
        assertThat(pidsByKey.values().stream().flatMap(Set::stream).distinct().count()).isGreaterThan(1);
        assertThat(seen.stream().map(s -> s.split("@")[0]).collect(Collectors.toList()))
            .isEqualTo(IntStream.range(0, 600).mapToObj(i -> (i / 200) + ":" + (i % 200)).collect(Collectors.toList()));
    }

    /** A source that takes its time: 25 items, 40 ms each. */
    public static final class SlowItems implements Iterable<String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<String> iterator() {
            return IntStream.range(0, 25).mapToObj(i -> {
                try {
                    Thread.sleep(40);
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return "slow:" + i;
            }).iterator();
        }
    }

    @Test
    void shouldNotLetASlowSourceStallTheOthers() throws Exception {
        final List<Source<String>> sources = new ArrayList<>();
        sources.add(Sources.iterable("slow", new SlowItems()));
        sources.addAll(numbered(4, 300));
        final List<String> seen = new CopyOnWriteArrayList<>();

        Pipeline.read(String.class, sources).name("slowsrc").producers(2).build().run(seen::add);

        assertThat(seen).hasSize(25 + 1200);
        final int lastFast = seen.stream().filter(s -> !s.startsWith("slow")).mapToInt(seen::indexOf).max().orElseThrow();
        assertThat(seen.indexOf("slow:24")).as("the slow source ends after every fast one").isGreaterThan(lastFast);
    }

    @Test
    void shouldHoldProducersBackWhenTheSinkIsSlow() throws Exception {
        final int capacity = 8;
        final List<Long> lags = new ArrayList<>();
        final long[] delivered = {0};
        final long[] maxReported = {0};
        final Pipeline<String> pipeline = Pipeline.read(String.class, numbered(1, 400)).name("slowsink")
            .map("upper", (Stage<String, String>) (item, out) -> out.emit(item.toUpperCase()), String.class)
            .queueCapacity(capacity).onProgress((bytes, items, failures, done) -> {
                synchronized (maxReported) {
                    maxReported[0] += items;
                }
            }).build();

        pipeline.run(item -> {
            delivered[0]++;
            Thread.sleep(3);
            if (delivered[0] % 50 == 0) {
                final long produced = ProcessTable.snapshot().stream().filter(r -> r.role().equals("producer")
                    && r.parentPid() == ProcessHandle.current().pid() && r.alive())
                    .mapToLong(ProcessRow::itemsDone).sum();
                lags.add(produced - delivered[0]);
            }
        });

        assertThat(delivered[0]).isEqualTo(400);
        assertThat(lags).isNotEmpty().allSatisfy(lag -> assertThat(lag).as("items read but not yet delivered")
            .isLessThanOrEqualTo(capacity + 2));
        assertThat(maxReported[0]).isEqualTo(400);
    }

    @Test
    void shouldReadStandardInputInTheParentAndProcessItInAProducer() throws Exception {
        final java.io.InputStream original = System.in;
        final List<String> seen = new ArrayList<>();
        try {
            System.setIn(new java.io.ByteArrayInputStream("one\ntwo\nthree\n".getBytes()));
            final Source<String> stdin = Sources.stdin();
            Pipeline.read(String.class, List.of(stdin)).name("stdin")
                .map("shout", (Stage<String, String>) (line, out) -> out.emit(line.toUpperCase()), String.class)
                .ordered(true).build().run(seen::add);
        } finally {
            System.setIn(original);
        }
        assertThat(seen).containsExactly("ONE", "TWO", "THREE");
    }

    @Test
    void shouldStopWhenAProcessDiesEvenWhenSkippingFailures() {
        final Pipeline<String> pipeline = Pipeline.read(String.class, numbered(2, 2_000)).name("crash").producers(2)
            .stage("fragile", 2, Routing.shared(), (Stage<String, String>) (item, out) -> {
                if (item.equals("1:20")) {
                    Runtime.getRuntime().halt(3);
                }
                out.emit(item);
            }, String.class)
            .queueCapacity(4).errorPolicy(ErrorPolicy.skipAndRecord()).build();

        assertThatThrownBy(() -> pipeline.run(item -> Thread.sleep(1))).isInstanceOf(PipelineFailedException.class)
            .satisfies(ex -> assertThat(((PipelineFailedException) ex).record().stage()).isEqualTo("fragile"))
            .hasMessageContaining("crash-fragile-").hasMessageContaining("3");
    }
}
