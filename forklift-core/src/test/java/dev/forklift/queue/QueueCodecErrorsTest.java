package dev.forklift.queue;

import dev.forklift.codec.CodecException;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.Link;
import dev.forklift.testing.MisbehavingCodecs.PoisonCodec;
import dev.forklift.testing.MisbehavingCodecs.RecursiveLinkCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Whatever a codec or a callback throws, errors included, the slot it concerns is published (as aborted) or
 * released: the operation fails alone, and the next item put is the next item taken, in this process. The same
 * across processes: {@link CrossProcessCodecErrorsTest}.
 */
class QueueCodecErrorsTest {
    private static final long WAIT_S = 10;

    @Test
    void aStackOverflowWhileEncodingFailsThatPutWithACodecExceptionAndTheNextItemIsTaken() throws Exception {
        try (Queue<Link> queue = Queue.builder(Link.class).name("soe-put").capacity(8)
            .codec(new RecursiveLinkCodec()).build()) {
            final Throwable thrown = catchThrowable(() -> queue.put(Link.chain(300_000)));
            assertThat(thrown).isInstanceOf(CodecException.class).hasCauseInstanceOf(StackOverflowError.class)
                .hasMessageContaining("test.recursive-link").hasMessageContaining("stack overflow");
            queue.put(Link.chain(3));
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).as("the item put after the failed one")
                .isEqualTo(Link.chain(3));
            assertThat(((SharedQueue<Link>) queue).abortedCount()).isEqualTo(1);
            assertThat(queue.offer(Link.chain(2))).isTrue();
            assertThat(queue.take()).isEqualTo(Link.chain(2));
        }
    }

    @Test
    void putAllWithABadItemInTheMiddleDeliversEveryOtherItemInOrderThenThrows() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("put-all").capacity(1024)
            .codec(new PoisonCodec()).build()) {
            final List<String> items = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                items.add(i == 100 ? "encode:SOE" : i == 400 ? "encode:RUNTIME" : "item-" + i);
            }
            final Throwable thrown = catchThrowable(() -> queue.putAll(items));
            assertThat(thrown).isInstanceOf(CodecException.class).hasCauseInstanceOf(StackOverflowError.class);
            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(CodecException.class)
                .satisfies(later -> assertThat(later).hasCauseInstanceOf(IllegalStateException.class));
            final List<String> expected = new ArrayList<>(items);
            expected.removeIf(item -> item.startsWith("encode:"));
            assertThat(takeAll(queue)).containsExactlyElementsOf(expected);
            queue.put("after");
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("after");
        }
    }

    @Test
    void aFatalErrorWhileEncodingIsThrownAsItIsAndTheQueueStaysUsable() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("oom-put").capacity(64)
            .codec(new PoisonCodec()).build()) {
            assertThatThrownBy(() -> queue.put("encode:OOM")).isExactlyInstanceOf(OutOfMemoryError.class);
            queue.put("one");
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("one");

            assertThatThrownBy(() -> queue.putAll(List.of("a", "encode:OOM", "c", "d")))
                .isExactlyInstanceOf(OutOfMemoryError.class);
            queue.put("two");
            assertThat(takeAll(queue)).as("the batch stops at the fatal error; its run is skipped, not wedged")
                .containsExactly("a", "two");
        }
    }

    @Test
    void anErrorWhileDecodingFailsThatTakeWithACodecExceptionAndTheNextItemIsTaken() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("soe-take").capacity(8)
            .codec(new PoisonCodec()).build()) {
            queue.put("decode:SOE");
            queue.put("decode:ASSERT");
            queue.put("next");
            assertThatThrownBy(queue::take).isInstanceOf(CodecException.class)
                .hasCauseInstanceOf(StackOverflowError.class);
            assertThatThrownBy(() -> queue.poll(WAIT_S, TimeUnit.SECONDS)).isInstanceOf(CodecException.class)
                .hasCauseInstanceOf(AssertionError.class);
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("next");
        }
    }

    @Test
    void anErrorWhileDecodingInsideABatchTakeReleasesEverySlotOfTheRun() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("soe-batch").capacity(64)
            .codec(new PoisonCodec()).build()) {
            queue.putAll(List.of("a", "decode:SOE", "c", "d"));
            final List<String> target = new ArrayList<>();
            assertThatThrownBy(() -> queue.takeInto(target, 10)).isInstanceOf(CodecException.class)
                .hasCauseInstanceOf(StackOverflowError.class);
            assertThat(target).containsExactly("a", "c", "d");

            queue.putAll(List.of("e", "decode:OOM", "f"));
            target.clear();
            assertThatThrownBy(() -> queue.drainTo(target, 10)).isExactlyInstanceOf(OutOfMemoryError.class);
            assertThat(target).as("the rest of the run is still read").containsExactly("e", "f");
            queue.put("g");
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("g");

            queue.putAll(List.of("h", "i"));
            final List<String> refusing = new ArrayList<>() {
                @Override
                public boolean add(final String item) {
                    if (item.equals("h")) {
                        throw new StackOverflowError("simulated in the target collection");
                    }
                    return super.add(item);
                }
            };
            assertThatThrownBy(() -> queue.takeInto(refusing, 10)).isInstanceOf(StackOverflowError.class);
            assertThat(refusing).containsExactly("i");
            queue.put("j");
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("j");
        }
    }

    @Test
    void anInPlaceWriterOrReaderThatThrowsAnErrorLeavesTheQueueUsable() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("in-place-errors").capacity(64)
            .codec(new PoisonCodec()).build()) {
            assertThatThrownBy(() -> queue.putInPlace(16, slot -> {
                throw new StackOverflowError("simulated writer");
            })).isInstanceOf(StackOverflowError.class);
            queue.put("after-writer");
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("after-writer");

            final int[] calls = {0};
            assertThatThrownBy(() -> queue.putRunInPlace(3, 16, slot -> {
                if (++calls[0] == 2) {
                    throw new AssertionError("simulated writer");
                }
                return slot.put("run".getBytes(StandardCharsets.UTF_8)).position();
            })).isInstanceOf(AssertionError.class);
            queue.put("after-run");
            assertThat(takeAll(queue)).containsExactly("run", "after-run");

            queue.put("read-me");
            queue.put("after-reader");
            assertThatThrownBy(() -> queue.takeInPlace(message -> {
                throw new StackOverflowError("simulated reader");
            })).isInstanceOf(StackOverflowError.class);
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("after-reader");

            queue.putAll(List.of("x", "y", "z"));
            final List<String> read = new ArrayList<>();
            assertThatThrownBy(() -> queue.takeRunInPlace(message -> {
                final String text = StandardCharsets.UTF_8.decode(message).toString();
                if (text.equals("x")) {
                    throw new OutOfMemoryError("simulated reader");
                }
                read.add(text);
            }, 10)).isInstanceOf(OutOfMemoryError.class);
            assertThat(read).containsExactly("y", "z");
            queue.put("last");
            assertThat(queue.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("last");
        }
    }

    private static List<String> takeAll(final Queue<String> queue) {
        final List<String> taken = new ArrayList<>();
        String item;
        while ((item = queue.poll()) != null) {
            taken.add(item);
        }
        return taken;
    }
}
