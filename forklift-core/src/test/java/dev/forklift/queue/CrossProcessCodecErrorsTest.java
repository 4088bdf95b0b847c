package dev.forklift.queue;

import dev.forklift.codec.CodecException;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.testing.Link;
import dev.forklift.testing.MisbehavingCodecs.PoisonCodec;
import dev.forklift.testing.MisbehavingCodecs.RecursiveLinkCodec;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A put whose codec throws an error (a stack overflow from a 300,000-deep chain, errors on command) never wedges a
 * queue for a consumer in another process, and a consumer whose decoding throws one goes on: real child JVMs on the
 * other side.
 */
@ProcessDeadline(seconds = 120)
class CrossProcessCodecErrorsTest {
    private static final Duration JOIN = Duration.ofSeconds(60);

    /**
     * Takes until the end of the stream (each take waiting at most 20 s), and reports what it took, one line per item:
     * the item (a {@link Link} as {@code link:<length>}), {@code codec-failure:<cause class>}, or {@code timeout}.
     */
    public static final class Drainer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Object> queue = context.arg(0, Queue.class);
            final Queue<String> report = context.arg(1, Queue.class);
            final List<String> lines = new ArrayList<>();
            while (true) {
                try {
                    final Object item = queue.poll(20, TimeUnit.SECONDS);
                    if (item == null) {
                        lines.add("timeout");
                        break;
                    }
                    lines.add(item instanceof Link ? "link:" + ((Link) item).length() : item.toString());
                } catch (final EndOfStreamException ex) {
                    break;
                } catch (final CodecException ex) {
                    lines.add("codec-failure:" + (ex.getCause() == null ? "none" : ex.getCause().getClass().getName()));
                }
            }
            report.put(String.join("\n", lines));
        }
    }

    /** Puts its arguments from the third on, in order, with {@link Queue#put}, going on past a codec failure. */
    public static final class Putter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<String> queue = context.arg(0, Queue.class);
            final Queue<String> report = context.arg(1, Queue.class);
            final List<String> failures = new ArrayList<>();
            for (int i = 2; i < context.args().size(); i++) {
                try {
                    queue.put(context.arg(i, String.class));
                } catch (final CodecException ex) {
                    failures.add(ex.getCause() == null ? "none" : ex.getCause().getClass().getName());
                }
            }
            report.put(String.join("\n", failures));
        }
    }

    @Test
    void aPutThatOverflowsTheStackFailsAloneAndAConsumerProcessTakesTheNextItem() throws Exception {
        try (Queue<Link> queue = Queue.builder(Link.class).name("xp-soe").capacity(16)
                 .codec(new RecursiveLinkCodec()).build();
             Queue<String> report = Queue.builder(String.class).name("xp-soe-report").capacity(4).build();
             ChildProcess consumer = ChildProcess.builder(Drainer.class).role("consumer").args(queue, report)
                 .start()) {
            assertThatThrownBy(() -> queue.put(Link.chain(300_000))).isInstanceOf(CodecException.class)
                .hasCauseInstanceOf(StackOverflowError.class);
            queue.put(Link.chain(7));
            queue.close();
            consumer.joinAndCheck(JOIN);
            assertThat(report.poll(30, TimeUnit.SECONDS)).isEqualTo("link:7");
        }
    }

    @Test
    void putAllWithABadItemInTheMiddleDeliversTheOthersInOrderToAConsumerProcess() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("xp-put-all").capacity(64)
                 .codec(new PoisonCodec()).build();
             Queue<String> report = Queue.builder(String.class).name("xp-put-all-report").capacity(4).build();
             ChildProcess consumer = ChildProcess.builder(Drainer.class).role("consumer").args(queue, report)
                 .start()) {
            assertThatThrownBy(() -> queue.putAll(List.of("a", "b", "encode:SOE", "d", "e")))
                .isInstanceOf(CodecException.class).hasCauseInstanceOf(StackOverflowError.class);
            queue.put("decode:SOE");
            queue.put("f");
            queue.close();
            consumer.joinAndCheck(JOIN);
            assertThat(report.poll(30, TimeUnit.SECONDS)).isEqualTo(String.join("\n", "a", "b", "d", "e",
                "codec-failure:" + StackOverflowError.class.getName(), "f"));
        }
    }

    @Test
    void aProducerProcessWhosePutOverflowsGoesOnAndThisProcessTakesItsOtherItems() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("xp-child-put").capacity(16)
                 .codec(new PoisonCodec()).build();
             Queue<String> report = Queue.builder(String.class).name("xp-child-put-report").capacity(4).build();
             ChildProcess producer = ChildProcess.builder(Putter.class).role("producer")
                 .args(queue, report, "one", "encode:SOE", "two", "encode:ASSERT", "three").start()) {
            final List<String> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                taken.add(queue.poll(30, TimeUnit.SECONDS));
            }
            producer.joinAndCheck(JOIN);
            assertThat(taken).containsExactly("one", "two", "three");
            assertThat(report.poll(30, TimeUnit.SECONDS)).isEqualTo(StackOverflowError.class.getName() + "\n"
                + AssertionError.class.getName());
        }
    }
}
