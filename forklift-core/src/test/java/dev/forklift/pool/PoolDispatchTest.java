package dev.forklift.pool;

import dev.forklift.ForkliftException;
import dev.forklift.codec.CodecException;
import dev.forklift.pool.internal.FaultyTransport;
import dev.forklift.queue.MessageTooLargeException;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool's dispatcher never dies of a frame: a large function definition with an input near the largest message
 * travels as two frames, and any error while sending a frame fails that frame's tasks only, with a message that
 * names the sizes, and the pool goes on. Real worker JVMs; every wait has a deadline, so a dead dispatcher (every
 * caller waiting for ever) fails the test.
 */
@ProcessDeadline(seconds = 90)
class PoolDispatchTest {
    private static final int MAX_MESSAGE_BYTES = 1 << 20;

    /**
     * A function whose definition takes 40 % of maxMessageBytes, with an input that takes almost all of it: the
     * frame would be 1.4 x maxMessageBytes. The definition goes first in a frame of its own; the task completes, and
     * so do the tasks after it.
     */
    @Test
    void aLargeFunctionDefinitionWithAnInputNearTheLimitIsSentAsTwoFramesAndTheTaskCompletes() throws Exception {
        try (Pool pool = Pool.builder().workers(2).name("big-frame").maxMessageBytes(MAX_MESSAGE_BYTES).build()) {
            final byte[] captured = new byte[MAX_MESSAGE_BYTES * 2 / 5];
            Arrays.fill(captured, (byte) 7);
            final SerializableFunction<byte[], Long> weigh = input -> (long) input.length * 1000 + captured[1];
            final byte[] input = new byte[MAX_MESSAGE_BYTES - 2048];
            final CompletableFuture<Long> big = pool.submit(weigh, input);
            assertThat(big.get(60, TimeUnit.SECONDS)).isEqualTo((long) input.length * 1000 + 7);
            assertThat(pool.submit(weigh, new byte[3]).get(60, TimeUnit.SECONDS)).isEqualTo(3007L);
            // The other worker gets the definition with its first task of this function too.
            final List<CompletableFuture<Long>> more = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                more.add(pool.submit(weigh, new byte[MAX_MESSAGE_BYTES - 2048 - i]));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(more.get(i).get(60, TimeUnit.SECONDS)).isEqualTo((MAX_MESSAGE_BYTES - 2048L - i) * 1000 + 7);
            }
            assertThat(pool.submit((Integer x) -> x + 1, 41).get(60, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    /**
     * A transport that takes smaller messages than the pool was told refuses a frame: its task fails with a
     * CodecException naming the sizes and maxMessageBytes; the pool goes on.
     */
    @Test
    void aFrameTheTransportRefusesAsTooLargeFailsItsTaskWithTheSizesAndTheSettingToRaise() throws Exception {
        try (Pool pool = FaultyTransport.start(Pool.builder().workers(2).name("refused")
            .maxMessageBytes(MAX_MESSAGE_BYTES), frame -> frame.length > 100_000
                ? new MessageTooLargeException("refused-inbox", frame.length, 100_000) : null)) {
            final CompletableFuture<Integer> big = pool.submit((byte[] b) -> b.length, new byte[200_000]);
            assertThatThrownBy(() -> big.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(CodecException.class).hasMessageContaining("200")
                .hasMessageContaining("maxMessageBytes").hasMessageContaining("refused-inbox")
                .hasMessageContaining("1 input(s)");
            assertThat(pool.failedTasks()).singleElement().satisfies(record ->
                assertThat(record.errorClass()).isEqualTo(CodecException.class.getName()));
            for (int i = 0; i < 20; i++) {
                assertThat(pool.submit((byte[] b) -> b.length, new byte[i]).get(60, TimeUnit.SECONDS)).isEqualTo(i);
            }
            assertThat(pool.stats().failedTasks()).isEqualTo(1);
        }
    }

    /**
     * An unexpected Error while sending one frame (here from the transport) fails only the tasks of that frame,
     * naming the error; tasks running meanwhile on the other worker and every later task complete.
     */
    @Test
    void anUnexpectedErrorWhileSendingAFrameFailsOnlyThatFramesTasks() throws Exception {
        final byte[] poison = "poison-in-the-dispatcher".getBytes(StandardCharsets.UTF_8);
        try (Pool pool = FaultyTransport.start(Pool.builder().workers(2).name("odd-error"),
            frame -> FaultyTransport.contains(frame, poison) ? new StackOverflowError("injected") : null)) {
            // Both workers ready first, so the two tasks go to different workers: on a small machine the second
            // is launched only once the first is ready (staggered start), and both tasks would share one frame.
            Await.until(Duration.ofSeconds(60), () -> pool.stats().liveWorkers() == 2,
                () -> "both workers ready: " + pool.stats());
            final CompletableFuture<String> slow = pool.submit((String s) -> {
                Faults.sleep(500);
                return s + "!";
            }, "slow");
            final CompletableFuture<String> poisoned = pool.submit((String s) -> s + "!",
                new String(poison, StandardCharsets.UTF_8));
            assertThatThrownBy(() -> poisoned.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ForkliftException.class).hasMessageContaining("StackOverflowError")
                .hasMessageContaining("injected").hasMessageContaining("could not send");
            assertThat(slow.get(60, TimeUnit.SECONDS)).isEqualTo("slow!");
            final List<CompletableFuture<String>> later = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                later.add(pool.submit((String s) -> s + "!", "later-" + i));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(later.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("later-" + i + "!");
            }
            assertThat(pool.map((Integer x) -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
            assertThat(pool.stats().failedTasks()).isEqualTo(1);
        }
    }
}
