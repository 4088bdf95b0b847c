package dev.forklift.pool;

import dev.forklift.codec.CodecException;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pool's API on one shared pool of two real worker JVMs. */
@ProcessDeadline(seconds = 60)
class PoolBasicsTest {
    private static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = Pool.builder().workers(2).name("basics").allow(FailsElsewhere.class).build();
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    /** Not serializable on purpose. */
    static final class Opaque {
    }

    @Test
    void submitRunsInAWorkerAndReturnsTheResult() throws Exception {
        final CompletableFuture<Long> pid = pool.submit((Integer x) -> ProcessHandle.current().pid(), 1);
        assertThat(pid.get(30, TimeUnit.SECONDS)).isNotEqualTo(ProcessHandle.current().pid())
            .isIn(pool.workerPids());
        assertThat(pool.submit((String s) -> s + "!", "hi").get(30, TimeUnit.SECONDS)).isEqualTo("hi!");
        assertThat(pool.submit((Integer a, Integer b) -> a * b, 6, 7).get(30, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(pool.submit((Object x) -> x == null ? "null" : "set", null).get(30, TimeUnit.SECONDS))
            .isEqualTo("null");
    }

    @Test
    void manySubmitsAllComplete() throws Exception {
        final List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            futures.add(pool.submit((Integer x) -> x + 1, i));
        }
        long sum = 0;
        for (final CompletableFuture<Integer> future : futures) {
            sum += future.get(30, TimeUnit.SECONDS);
        }
        assertThat(sum).isEqualTo(20_000L * 20_001 / 2);
    }

    @Test
    void mapKeepsInputOrderWithAutomaticAndExplicitChunks() {
        final List<Integer> inputs = IntStream.range(0, 100_000).boxed().collect(Collectors.toList());
        final List<Integer> doubled = pool.map((Integer x) -> 2 * x, inputs);
        assertThat(doubled).hasSize(100_000);
        for (int i = 0; i < doubled.size(); i++) {
            assertThat(doubled.get(i)).isEqualTo(2 * i);
        }
        assertThat(pool.starmap((String s, Integer n) -> s.repeat(n), List.of(Args.of("a", 2), Args.of("b", 3))))
            .containsExactly("aa", "bbb");
    }

    @Test
    void imapIsLazyAndOrdered() {
        final int[] pulled = {0};
        final Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled[0]++;
            }
        };
        final Iterator<Integer> results = pool.imap((Integer x) -> x * x, endless);
        for (int i = 0; i < 5000; i++) {
            assertThat(results.next()).isEqualTo(i * i);
        }
        // window: automatic = max(1024, 4 * workers * chunk 1) inputs ahead of what was consumed
        assertThat(pulled[0]).isLessThanOrEqualTo(5000 + 1024);
    }

    @Test
    void imapUnorderedOverAnEndlessIteratorStaysWithinTheWindow() {
        final int[] pulled = {0};
        final Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled[0]++;
            }
        };
        final Iterator<Integer> results = pool.imapUnordered((Integer x) -> x, endless);
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            seen.add(results.next());
            assertThat(pulled[0] - seen.size()).isLessThanOrEqualTo(1024);
        }
        assertThat(seen).hasSize(20_000);
    }

    @Test
    void aTaskThatThrowsFailsWithTheWorkersStackTraceAndOthersComplete() throws Exception {
        final CompletableFuture<Integer> bad = pool.submit((Integer x) -> Thrower.fail(x), 7);
        final CompletableFuture<Integer> good = pool.submit((Integer x) -> x, 8);
        assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(RemoteTaskException.class)
            .hasMessageContaining("IllegalArgumentException").hasMessageContaining("bad input 7")
            .satisfies(e -> assertThat(e.getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getMethodName()).isEqualTo("fail")))
            .satisfies(e -> assertThat(((RemoteTaskException) e).pid()).isNotEqualTo(ProcessHandle.current().pid()));
        assertThat(good.get(30, TimeUnit.SECONDS)).isEqualTo(8);
        assertThatThrownBy(() -> pool.map((Integer x) -> Thrower.fail(x), List.of(1, 2, 3)))
            .isInstanceOf(TaskFailedException.class).hasMessageContaining("input #0");
    }

    @Test
    void anInputOrResultThatCannotBeEncodedFailsOnlyThatTask() throws Exception {
        final CompletableFuture<Object> badInput = pool.submit((Object x) -> x, new Opaque());
        assertThatThrownBy(() -> badInput.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(CodecException.class);
        final CompletableFuture<Object> badResult = pool.submit((Integer x) -> new Opaque(), 1);
        assertThatThrownBy(() -> badResult.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RemoteTaskException.class)
            .hasMessageContaining("CodecException");
        final Iterator<Outcome<Object, Object>> outcomes = pool.imapOutcomes((Object x) -> x,
            List.<Object>of(1, new Opaque(), 3).iterator(), true);
        assertThat(outcomes.next().result()).isEqualTo(1);
        assertThat(outcomes.next().error()).isInstanceOf(CodecException.class);
        assertThat(outcomes.next().result()).isEqualTo(3);
        assertThat(pool.submit((Integer x) -> x + 1, 1).get(30, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void messagesNearAndOverTheMaximumSizeFailOnlyTheirTask() throws Exception {
        final String big = "x".repeat(600_000);
        assertThat(pool.submit((String s) -> s.length(), big).get(30, TimeUnit.SECONDS)).isEqualTo(600_000);
        assertThat(pool.submit((Integer n) -> "y".repeat(n), 600_000).get(30, TimeUnit.SECONDS)).hasSize(600_000);
        final CompletableFuture<Integer> tooBigInput = pool.submit((String s) -> s.length(), "x".repeat(2_000_000));
        assertThatThrownBy(() -> tooBigInput.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(CodecException.class)
            .hasMessageContaining("maxMessageBytes");
        final CompletableFuture<String> tooBigResult = pool.submit((Integer n) -> "y".repeat(n), 2_000_000);
        assertThatThrownBy(() -> tooBigResult.get(30, TimeUnit.SECONDS)).cause()
            .isInstanceOf(RemoteTaskException.class).hasMessageContaining("does not fit");
        assertThat(pool.submit((Integer x) -> x, 3).get(30, TimeUnit.SECONDS)).isEqualTo(3);
    }

    /** Decodes only in the process that created it: fails decoding on the other side of the pool. */
    static final class FailsElsewhere implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final long creatorPid = ProcessHandle.current().pid();

        private void readObject(final java.io.ObjectInputStream in) throws java.io.IOException,
            ClassNotFoundException {
            in.defaultReadObject();
            if (creatorPid != ProcessHandle.current().pid()) {
                throw new java.io.InvalidObjectException("decoded away from pid " + creatorPid);
            }
        }
    }

    @Test
    void decodingFailuresOnEitherSideFailOnlyTheirTask() throws Exception {
        final CompletableFuture<String> badInput = pool.submit((Object x) -> "decoded", new FailsElsewhere());
        assertThatThrownBy(() -> badInput.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RemoteTaskException.class)
            .hasMessageContaining("CodecException").hasMessageContaining("cannot decode the input in the worker");
        final CompletableFuture<Object> badResult = pool.submit((Integer x) -> new FailsElsewhere(), 1);
        assertThatThrownBy(() -> badResult.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(CodecException.class)
            .hasMessageContaining("cannot decode the result in the parent");
        assertThat(pool.submit((Integer x) -> x + 1, 41).get(30, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void misuseFailsFastNamingTheValue() {
        assertThatThrownBy(() -> Pool.builder().workers(0)).hasMessageContaining("workers=0");
        assertThatThrownBy(() -> Pool.builder().taskTimeout(Duration.ofMillis(-1))).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> RetryPolicy.attempts(0)).hasMessageContaining("maxAttempts=0");
        final Opaque captured = new Opaque();
        assertThatThrownBy(() -> pool.submit((Integer x) -> captured.hashCode(), 1))
            .isInstanceOf(dev.forklift.process.TaskNotSerializableException.class);
        final SerializableFunction<Integer, Integer> same = x -> x;
        assertThatThrownBy(() -> pool.submit(null, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("function must not be null");
        for (final org.assertj.core.api.ThrowableAssert.ThrowingCallable nullInputs : List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
            () -> pool.map(same, null), () -> pool.map(same, null, Duration.ofSeconds(5)),
            () -> pool.starmap((Integer a, Integer b) -> a + b, null), () -> pool.imap(same, null),
            () -> pool.imapUnordered(same, null), () -> pool.imapOutcomes(same, null, true))) {
            assertThatThrownBy(nullInputs).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs must not be null");
        }
    }

    @Test
    void closedPoolRejectsWork() {
        final Pool small = Pool.builder().workers(1).name("closing").build();
        final CompletableFuture<Integer> last = small.submit((Integer x) -> x, 5);
        small.close();
        assertThat(last).isCompletedWithValue(5);
        small.close();
        assertThatThrownBy(() -> small.submit((Integer x) -> x, 1)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aFunctionIsSentToEachWorkerOnceThenOnlyArguments() throws Exception {
        final CountingFunction function = new CountingFunction();
        final List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(pool.submit(function, i));
        }
        for (final CompletableFuture<Integer> future : futures) {
            assertThat(future.get(30, TimeUnit.SECONDS)).as("decodings of the function in that worker").isEqualTo(1);
        }
        assertThat(pool.map(function, List.of(1, 2, 3))).containsOnly(1);
    }

    /** Counts, in the worker, how often it was decoded there. */
    static final class CountingFunction implements SerializableFunction<Integer, Integer> {
        private static final long serialVersionUID = 1L;

        private void readObject(final java.io.ObjectInputStream in) throws java.io.IOException,
            ClassNotFoundException {
            in.defaultReadObject();
            System.setProperty("counting.reads", Integer.toString(Integer.getInteger("counting.reads", 0) + 1));
        }

        @Override
        public Integer apply(final Integer x) {
            return Integer.getInteger("counting.reads");
        }
    }

    /** Throws from a named method so the stack trace can be checked. */
    static final class Thrower {
        static int fail(final int x) {
            throw new IllegalArgumentException("bad input " + x);
        }
    }
}
