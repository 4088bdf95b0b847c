package dev.forklift.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A process that dies holding a slot never wedges a queue: real child JVMs halt at a claim (the queue's fault
 * points), and the survivors repair the slot after the repair time.
 */
@ProcessDeadline(seconds = 120)
class QueueRepairTest {
    private static final Duration JOIN = Duration.ofSeconds(60);
    private static final String HALT_AFTER_WRITE_CLAIMS = "forklift.fault.queue.haltAfterWriteClaims";
    private static final String HALT_AFTER_READ_CLAIMS = "forklift.fault.queue.haltAfterReadClaims";

    /** Puts {@code from, from+1, ... from+count-1}. */
    public static final class Counter implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            final long from = context.arg(1, Long.class);
            final long count = context.arg(2, Long.class);
            for (long i = 0; i < count; i++) {
                queue.put(from + i);
            }
        }
    }

    /** Takes items for ever (it is expected to halt at its fault point). */
    public static final class Taker implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            while (true) {
                queue.take();
            }
        }
    }

    @Test
    void shouldSkipTheTornRecordOfAProducerThatDiedBetweenClaimAndPublishAndKeepTheRestInOrder() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("torn").capacity(64)
            .repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess dying = ChildProcess.builder(Counter.class).role("producer")
                .systemProperty(HALT_AFTER_WRITE_CLAIMS, "31").args(queue, 1L, 100L).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted at its 31st claim").isEqualTo(137);
            try (ChildProcess survivor = ChildProcess.builder(Counter.class).role("producer")
                .args(queue, 1000L, 50L).start()) {
                final List<Long> taken = new ArrayList<>();
                for (int i = 0; i < 30 + 50; i++) {
                    final Long item = queue.poll(30, TimeUnit.SECONDS);
                    assertThat(item).as("item %d after %s", i, taken).isNotNull();
                    taken.add(item);
                }
                survivor.joinAndCheck(JOIN);
                assertThat(taken.subList(0, 30)).containsExactlyElementsOf(range(1, 30));
                assertThat(taken.subList(30, 80)).containsExactlyElementsOf(range(1000, 50));
                assertThat(queue.poll()).isNull();
                assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldRepairATornRecordAlsoForAConsumerThatPollsWithShortTimeoutsInALoop() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("torn-polled").capacity(16)
            .repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess dying = ChildProcess.builder(Counter.class).role("producer")
                .systemProperty(HALT_AFTER_WRITE_CLAIMS, "3").args(queue, 1L, 10L).start();
            dying.join(JOIN);
            assertThat(dying.exitCode()).isEqualTo(137);
            queue.put(100L);
            final List<Long> taken = new ArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (taken.size() < 3 && System.nanoTime() < deadline) {
                final Long item = queue.poll(20, TimeUnit.MILLISECONDS); // each call waits far less than 300 ms
                if (item != null) {
                    taken.add(item);
                }
            }
            assertThat(taken).containsExactly(1L, 2L, 100L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldFreeTheSlotOfAConsumerThatDiedWhileReadingSoProducersGoOn() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("abandoned").capacity(4)
            .repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess dying = ChildProcess.builder(Taker.class).role("consumer")
                .systemProperty(HALT_AFTER_READ_CLAIMS, "3").args(queue).start();
            for (long i = 1; i <= 3; i++) {
                queue.put(i);
            }
            dying.join(JOIN);
            assertThat(dying.exitCode()).as("halted at its 3rd claim").isEqualTo(137);
            for (long i = 4; i <= 7; i++) {
                queue.put(i); // 7 lands in the slot the dead consumer held: a repair must free it first
            }
            assertThat(((SharedQueue<Long>) queue).abandonedCount()).isEqualTo(1);
            final List<Long> rest = new ArrayList<>();
            queue.close();
            queue.forEach(rest::add);
            assertThat(rest).containsExactly(4L, 5L, 6L, 7L);
        }
    }

    @Test
    void shouldFailAStalledProducerClearlyThenResumeWithNothingLostWhenTheConsumerContinues() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("stalled").capacity(8)
            .stallTimeout(Duration.ofMillis(500)).build();
             Queue<Long> sums = Queue.builder(Long.class).name("sums").capacity(2).build();
             ChildProcess consumer = ChildProcess.builder(Summer.class).role("consumer").args(queue, sums).start()) {
            final ProcessHandle handle = ProcessHandle.of(consumer.pid()).orElseThrow();
            signal("STOP", handle.pid());
            awaitEveryThreadStopped(handle.pid());
            try {
                long accepted = 0;
                long sum = 0;
                final long start = System.nanoTime();
                assertThatThrownBy(() -> {
                    for (long i = 1; i <= 100; i++) {
                        queue.put(i);
                    }
                }).isInstanceOf(QueueStalledException.class).hasMessageContaining("stallTimeoutMs=500");
                assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
                accepted = queue.size();
                sum = LongStream.rangeClosed(1, accepted).sum();
                signal("CONT", handle.pid());
                for (long i = accepted + 1; i <= 100; i++) {
                    queue.put(i);
                    sum += i;
                }
                queue.close();
                consumer.joinAndCheck(JOIN);
                assertThat(sums.poll()).isEqualTo(sum);
            } finally {
                if (handle.isAlive()) {
                    signal("CONT", handle.pid());
                }
            }
        }
    }

    /** Sums what it takes until the end of the stream, then reports the sum. */
    public static final class Summer implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            long sum = 0;
            for (final long item : queue) {
                sum += item;
            }
            context.arg(1, Queue.class).put(sum);
        }
    }

    private static void signal(final String name, final long pid) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /** A stop signal takes effect thread by thread; wait until every thread of the process is stopped. */
    private static void awaitEveryThreadStopped(final long pid) throws Exception {
        final java.nio.file.Path tasks = java.nio.file.Paths.get("/proc", Long.toString(pid), "task");
        dev.forklift.testing.Await.until(Duration.ofSeconds(10), () -> {
            try (java.util.stream.Stream<java.nio.file.Path> threads = java.nio.file.Files.list(tasks)) {
                return threads.allMatch(thread -> {
                    try {
                        final String stat = java.nio.file.Files.readString(thread.resolve("stat"));
                        final char state = stat.charAt(stat.lastIndexOf(')') + 2);
                        return state == 'T' || state == 't';
                    } catch (final java.io.IOException ex) {
                        return true; // the thread is gone
                    }
                });
            } catch (final java.io.IOException ex) {
                return false;
            }
        }, () -> "every thread of " + pid + " stopped");
    }

    private static List<Long> range(final long from, final long count) {
        return LongStream.range(from, from + count).boxed().collect(Collectors.toList());
    }
}
