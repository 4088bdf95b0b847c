package dev.forklift.queue;

import dev.forklift.codec.ClassNotAllowedException;
import dev.forklift.codec.CodecException;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedQueueTest {
    record Reading(String sensor, double value) implements Serializable {
    }

    static final class NotAllowed implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void shouldDeliverInOrderWithinOneProducer() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).capacity(4).build()) {
            for (int round = 0; round < 3; round++) {
                queue.put("a" + round);
                queue.put("b" + round);
                queue.put("c" + round);
                assertThat(queue.size()).isEqualTo(3);
                assertThat(List.of(queue.take(), queue.take(), queue.take()))
                    .containsExactly("a" + round, "b" + round, "c" + round);
            }
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void shouldRoundCapacityUpToAPowerOfTwoAndRefuseWhenFull() throws Exception {
        try (Queue<Integer> queue = Queue.builder(Integer.class).capacity(3).build()) {
            assertThat(queue.capacity()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                assertThat(queue.offer(i)).isTrue();
            }
            assertThat(queue.offer(99)).isFalse();
            assertThat(queue.offer(99, 20, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(queue.take()).isZero();
            assertThat(queue.offer(4)).isTrue();
        }
    }

    @Test
    void shouldTimeOutPollingAnEmptyQueue() throws Exception {
        try (Queue<Long> queue = Queue.create(Long.class)) {
            final long start = System.nanoTime();
            assertThat(queue.poll(50, TimeUnit.MILLISECONDS)).isNull();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void shouldDrainThenSignalEndOfStreamAfterClose() throws Exception {
        final Queue<String> queue = Queue.create(String.class);
        queue.put("one");
        queue.put("two");
        queue.close();
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.isEndOfStream()).isFalse();
        assertThatThrownBy(() -> queue.put("three")).isInstanceOf(QueueClosedException.class)
            .hasMessageContaining(queue.name());
        assertThat(queue.stream().collect(Collectors.toList())).containsExactly("one", "two");
        assertThat(queue.isEndOfStream()).isTrue();
        assertThatThrownBy(queue::take).isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(queue::poll).isInstanceOf(EndOfStreamException.class);
        queue.close();
    }

    @Test
    void shouldWakeABlockedTakerAtClose() throws Exception {
        try (Queue<String> queue = Queue.create(String.class)) {
            final List<Throwable> seen = new ArrayList<>();
            final Thread taker = new Thread(() -> {
                try {
                    queue.take();
                } catch (final Throwable ex) {
                    seen.add(ex);
                }
            });
            taker.start();
            // Close only once the taker waits inside take(): parked, with take() on its stack.
            Await.until(Duration.ofSeconds(10), () -> isParkedIn(taker, "take"),
                () -> "the taker to wait in take(): " + taker.getState() + " " + Arrays.toString(taker.getStackTrace()));
            queue.close();
            taker.join(5_000);
            assertThat(taker.isAlive()).isFalse();
            assertThat(seen).singleElement().isInstanceOf(EndOfStreamException.class);
        }
    }

    /** @return true when the thread is parked (with or without a timeout) inside a method of that name. */
    static boolean isParkedIn(final Thread thread, final String method) {
        final Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method)
            && frame.getClassName().startsWith("dev.forklift.queue"));
    }

    @Test
    void shouldRefuseAMessageLargerThanTheMaximumAndLoseNothing() throws Exception {
        try (Queue<byte[]> bytes = Queue.builder(byte[].class).maxMessageBytes(16).build();
             Queue<String> strings = Queue.builder(String.class).maxMessageBytes(16).build()) {
            bytes.put(new byte[] {1});
            assertThatThrownBy(() -> bytes.put(new byte[17])).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("17 bytes").hasMessageContaining("maxMessageBytes=16");
            bytes.put(new byte[] {2});
            assertThat(bytes.take()).containsExactly(1);
            assertThat(bytes.take()).containsExactly(2);

            strings.put("fits");
            assertThatThrownBy(() -> strings.put("x".repeat(17))).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("a java.lang.String encodes to more than").hasMessageContaining(
                    "maxMessageBytes=16").hasMessageContaining("QueueBuilder");
            strings.put("also fits");
            assertThat(List.of(strings.take(), strings.take())).containsExactly("fits", "also fits");
            assertThat(strings.poll()).isNull();
        }
    }

    @Test
    void shouldRefuseAClassOutsideTheAllowListWithoutHarmingTheQueue() throws Exception {
        try (Queue<Object> queue = Queue.builder(Object.class).allow(Reading.class).build()) {
            queue.put(new Reading("t1", 20.5));
            assertThatThrownBy(() -> queue.put(new NotAllowed())).isInstanceOf(ClassNotAllowedException.class)
                .hasMessageContaining(NotAllowed.class.getName());
            queue.put("after");
            assertThat(queue.take()).isEqualTo(new Reading("t1", 20.5));
            assertThat(queue.take()).isEqualTo("after");
            assertThat(((SharedQueue<Object>) queue).abortedCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectNullItems() {
        try (Queue<String> queue = Queue.create(String.class)) {
            assertThatThrownBy(() -> queue.put(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void shouldValidateTheBuilderNamingTheBadValue() {
        assertThatThrownBy(() -> Queue.builder(String.class).capacity(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=0");
        assertThatThrownBy(() -> Queue.builder(String.class).maxMessageBytes(-5))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageBytes=-5");
        assertThatThrownBy(() -> Queue.builder(String.class).capacity(1 << 20).maxMessageBytes(1 << 20).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue too large");
    }

    @Test
    void shouldTravelAsAReferenceAndAttachToTheSameMemory() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("travel").build()) {
            @SuppressWarnings("unchecked") final Queue<String> attached = (Queue<String>) roundTrip(queue);
            assertThat(attached).isNotSameAs(queue);
            attached.put("from the other side");
            assertThat(queue.take()).isEqualTo("from the other side");
            attached.close();
            assertThat(queue.isClosed()).isTrue();
            assertThat(Files.exists(((SharedQueue<String>) queue).path())).isTrue();
        }
    }

    @Test
    void shouldCreateAnOwnerOnlyFileAndDeleteItOnClose() throws Exception {
        final Queue<String> queue = Queue.create(String.class);
        final Path path = ((SharedQueue<String>) queue).path();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())))
            .isEqualTo("rwx------");
        queue.close();
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void shouldSkipAMessageThatFailsToDecodeAndGoOn() throws Exception {
        try (Queue<Integer> queue = Queue.builder(Integer.class).codec(new FlakyIntCodec()).build()) {
            queue.put(1);
            queue.put(FlakyIntCodec.UNDECODABLE);
            queue.put(3);
            assertThat(queue.take()).isEqualTo(1);
            assertThatThrownBy(queue::take).isInstanceOf(CodecException.class).hasMessageContaining("unlucky");
            assertThat(queue.take()).isEqualTo(3);
        }
    }

    static Object roundTrip(final Object value) throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    /** Decodes every integer but one. */
    static final class FlakyIntCodec implements dev.forklift.codec.Codec<Integer> {
        static final int UNDECODABLE = 13;
        private static final long serialVersionUID = 1L;

        @Override
        public String id() {
            return "test.flaky";
        }

        @Override
        public void encode(final Integer value, final java.nio.ByteBuffer target) {
            target.putInt(value);
        }

        @Override
        public Integer decode(final java.nio.ByteBuffer source) {
            final int value = source.getInt();
            if (value == UNDECODABLE) {
                throw new CodecException("unlucky number");
            }
            return value;
        }
    }
}
