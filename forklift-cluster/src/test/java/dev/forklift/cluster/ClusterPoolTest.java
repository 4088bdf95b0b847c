package dev.forklift.cluster;

import dev.forklift.pool.Args;
import dev.forklift.pool.FailedTask;
import dev.forklift.pool.Pool;
import dev.forklift.pool.RetryPolicy;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.Outcome;
import dev.forklift.pool.TaskFailedException;
import dev.forklift.pool.TaskTimeoutException;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;
import dev.forklift.queue.QueueClosedException;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Pool and Queue APIs over a real broker process and a real worker host process. */
@ProcessDeadline(seconds = 90)
class ClusterPoolTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(dir, List.of("-Xmx128m"));
        cluster.startBroker();
        cluster.startHost("h1", 2, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Pool pool() {
        return Pool.builder().broker(cluster.url()).name("t").build();
    }

    @Test
    void submitsOfAnyArityAMapWithATimeoutAndTheExecutorViewWorkAsLocally() throws Exception {
        try (Pool pool = pool()) {
            assertThat(pool.submit(() -> "none").get()).isEqualTo("none");
            assertThat(pool.submit((Integer a, Integer b, Integer c) -> a * b * c, 2, 3, 4).get()).isEqualTo(24);
            assertThat(pool.submitArgs(args -> args.length + ":" + args[3], 1, 2, 3, "four").get())
                .isEqualTo("4:four");
            assertThat(pool.map((Integer x) -> x + 1, List.of(1, 2, 3), Duration.ofSeconds(30)))
                .containsExactly(2, 3, 4);
            assertThatThrownBy(() -> pool.map((Integer x) -> {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000_000L);
                return x;
            }, List.of(1, 2), Duration.ofMillis(300))).isInstanceOf(dev.forklift.pool.MapTimeoutException.class);
            final java.util.concurrent.ExecutorService executor = pool.asExecutorService();
            assertThat(executor.submit((dev.forklift.pool.SerializableCallable<String>) () -> "via executor").get())
                .isEqualTo("via executor");
        }
    }

    @Test
    void mapSubmitStarmapAndIteratorsGiveEveryResultOnce() throws Exception {
        try (Pool pool = pool()) {
            final List<Integer> inputs = IntStream.range(0, 5_000).boxed().collect(Collectors.toList());
            assertThat(pool.map((Integer x) -> x * 2, inputs))
                .isEqualTo(inputs.stream().map(x -> x * 2).collect(Collectors.toList()));
            final List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(pool.submit((Integer x) -> "v" + x, i));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(futures.get(i).get()).isEqualTo("v" + i);
            }
            assertThat(pool.starmap((Integer a, Integer b) -> a + b, List.of(Args.of(1, 2), Args.of(3, 4))))
                .containsExactly(3, 7);
            final Iterator<Integer> unordered = pool.imapUnordered((Integer x) -> x + 1,
                IntStream.range(0, 300).boxed().iterator());
            final Set<Integer> seen = new HashSet<>();
            while (unordered.hasNext()) {
                assertThat(seen.add(unordered.next())).isTrue();
            }
            assertThat(seen).hasSize(300).contains(1, 300);
            assertThat(pool.stats().failedTasks()).isZero();
        }
    }

    /**
     * A map's int results stay packed until read (one array per chunk); the list keeps {@code map}'s contract: input
     * order, every List operation (changes included), serializable, and chunks that are not all ints mixed in.
     */
    @Test
    void aMapOfIntResultsKeptPackedIsAnOrdinaryListInInputOrder() throws Exception {
        try (Pool pool = Pool.builder().broker(cluster.url()).name("t").chunkSize(700).build()) {
            final List<Integer> inputs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
            final List<Integer> expected = inputs.stream().map(x -> x + 1).collect(Collectors.toList());
            final List<Integer> results = pool.map((Integer x) -> x + 1, inputs);
            assertThat(results).isEqualTo(expected).hasSameHashCodeAs(expected);
            assertThat(results.get(0)).isEqualTo(1);
            assertThat(results.get(9_999)).isEqualTo(10_000);
            assertThat(results.subList(699, 701)).containsExactly(700, 701);
            final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(results);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                assertThat(in.readObject()).isEqualTo(expected);
            }
            results.set(0, -1);
            results.add(7);
            results.remove(1);
            final List<Integer> changed = new ArrayList<>(expected);
            changed.set(0, -1);
            changed.add(7);
            changed.remove(1);
            assertThat(results).isEqualTo(changed);
            // the chunks holding 5000 give a Long for it: that chunk travels unpacked, the others packed
            final List<Object> mixed = pool.map((Integer x) -> x == 5_000 ? (Object) 5_000L : (Object) x, inputs);
            assertThat(mixed.get(5_000)).isEqualTo(5_000L);
            assertThat(mixed.subList(0, 5_000)).isEqualTo(inputs.subList(0, 5_000));
            assertThat(mixed.subList(5_001, 10_000)).isEqualTo(inputs.subList(5_001, 10_000));
        }
    }

    /** Chunks of one boxed primitive type or of strings travel packed; mixed, null and failing chunks do not. */
    @Test
    void chunksOfIntsLongsDoublesStringsAndMixedValuesGiveTheSameResultsAsLocally() throws Exception {
        try (Pool pool = pool()) {
            final List<Long> longs = List.of(1L, Long.MAX_VALUE - 1, -5L);
            assertThat(pool.map((Long x) -> x + 1, longs)).containsExactly(2L, Long.MAX_VALUE, -4L);
            assertThat(pool.map((Double x) -> x / 2, List.of(1.0, -3.0, Double.MAX_VALUE)))
                .containsExactly(0.5, -1.5, Double.MAX_VALUE / 2);
            assertThat(pool.map((String s) -> s + "\u00e9!", List.of("", "a", "\u4e2d\u6587")))
                .containsExactly("\u00e9!", "a\u00e9!", "\u4e2d\u6587\u00e9!");
            // an int chunk whose results are of another type, of mixed types or null: results in the general layout
            assertThat(pool.map((Integer x) -> x % 3 == 0 ? null : x % 3 == 1 ? "s" + x : (Object) (long) x,
                List.of(0, 1, 2, 3))).containsExactly(null, "s1", 2L, null);
            final List<Object> mixed = new ArrayList<>(List.of(1, "two", 3L));
            mixed.add(null);
            assertThat(pool.map((Object x) -> String.valueOf(x), mixed)).containsExactly("1", "two", "3", "null");
            // a packed chunk with one failing input: the others still succeed, the failure is that input's alone
            final Pool failing = Pool.builder().broker(cluster.url()).name("t-fail").retryPolicy(RetryPolicy.none())
                .build();
            try (failing) {
                final Iterator<Outcome<Integer, Integer>> outcomes = failing.imapOutcomes((Integer x) -> {
                    if (x == 2) {
                        throw new IllegalStateException("two");
                    }
                    return x * 10;
                }, List.of(1, 2, 3).iterator(), true);
                final List<String> seen = new ArrayList<>();
                outcomes.forEachRemaining(o -> seen.add(o.input() + "=" + (o.error() == null ? o.result()
                    : o.error().getClass().getSimpleName())));
                assertThat(seen).hasSize(3).contains("1=10", "3=30").anyMatch(s -> s.startsWith("2="));
            }
        }
    }

    @Test
    void aBrokerQueueCarriesItemsBetweenProducerAndConsumersThenEndsTheStreamForAll() throws Exception {
        try (Queue<String> producer = Queue.builder(String.class).broker(cluster.url()).name("words").build();
             Queue<String> consumerA = Queue.builder(String.class).broker(cluster.url()).name("words").build();
             Queue<String> consumerB = Queue.builder(String.class).broker(cluster.url()).name("words").build()) {
            for (int i = 0; i < 100; i++) {
                producer.put("w" + i);
            }
            producer.putAll(List.of("x", "y"));
            // The broker counts a sent message a moment after it acknowledged the send: wait for the count.
            final long countDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (producer.size() != 102 && System.nanoTime() < countDeadline) {
                Thread.sleep(20);
            }
            assertThat(producer.size()).isEqualTo(102);
            producer.close();
            assertThatThrownBy(() -> producer.put("late")).isInstanceOf(QueueClosedException.class);
            final List<String> taken = new ArrayList<>();
            assertThat(consumerA.poll()).isNotNull().satisfies(taken::add);
            consumerA.drainTo(taken, 10);
            for (final String word : consumerB) {
                taken.add(word);
            }
            assertThat(consumerB.isEndOfStream()).isTrue();
            assertThatThrownBy(consumerA::take).isInstanceOf(EndOfStreamException.class);
            assertThat(taken).hasSize(102).doesNotHaveDuplicates().contains("w0", "w99", "x", "y");
        }
    }

    @Test
    void aTaskOverItsTimeoutHasItsWorkerKilledAndFailsWithATimeoutRecord() {
        try (Pool pool = Pool.builder().broker(cluster.url()).name("slow").taskTimeout(Duration.ofSeconds(1))
            .retryPolicy(RetryPolicy.none()).build()) {
            final SerializableFunction<Integer, Integer> fn = x -> {
                if (x == 2) {
                    try {
                        Thread.sleep(60_000);
                    } catch (final InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                return x;
            };
            final List<Outcome<Integer, Integer>> outcomes = new ArrayList<>();
            pool.imapOutcomes(fn, List.of(1, 2, 3).iterator(), true).forEachRemaining(outcomes::add);
            assertThat(outcomes.get(0).result()).isEqualTo(1);
            assertThat(outcomes.get(1).error()).isInstanceOf(TaskTimeoutException.class);
            assertThat(outcomes.get(2).result()).isEqualTo(3);
            assertThat(pool.failedTasks()).singleElement()
                .satisfies(record -> assertThat(record.errorClass()).isEqualTo(TaskTimeoutException.class.getName()));
            assertThat(pool.stats().timeouts()).isEqualTo(1);
        }
    }

    @Test
    void aFunctionThatThrowsFailsItsInputWithAFailureRecord() {
        try (Pool pool = Pool.builder().broker(cluster.url()).name("fails").retryPolicy(RetryPolicy.none()).build()) {
            final SerializableFunction<Integer, Integer> fn = x -> {
                if (x == 3) {
                    throw new IllegalStateException("three");
                }
                return x;
            };
            assertThatThrownBy(() -> pool.map(fn, List.of(1, 2, 3, 4))).isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("three");
            final List<FailedTask> failed = pool.failedTasks();
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).errorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(failed.get(0).workerName()).startsWith("h1/");
        }
    }
}
