package dev.forklift.sync;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ChildProcessBuilder;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Joinable queues and queues opened by name, with real child JVMs and an unrelated JVM. */
@ProcessDeadline(seconds = 120)
class JoinableQueueCrossProcessTest {
    private static final String[] FAST_JVM = SharedValuesCrossProcessTest.FAST_JVM;

    /** Takes items until the end of the stream; for each: a short pause, count it processed, then taskDone. */
    public static final class Worker implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final JoinableQueue<Integer> jobs = context.arg(0, JoinableQueue.class);
            final SharedLong processed = context.arg(1, SharedLong.class);
            for (final Integer job : jobs) {
                Thread.sleep(job % 3);
                processed.incrementAndGet();
                jobs.taskDone();
            }
        }
    }

    /** Takes {@code count} items without marking them done, says so, then waits to be killed. */
    public static final class TakeAndHang implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final JoinableQueue<Integer> jobs = context.arg(0, JoinableQueue.class);
            final SharedLong taken = context.arg(1, SharedLong.class);
            final int count = context.arg(2, Integer.class);
            for (int i = 0; i < count; i++) {
                jobs.take();
            }
            jobs.take();
            jobs.taskDone();
            taken.set(count + 1);
            Thread.sleep(600_000);
        }
    }

    @Test
    void joinReturnsOnlyOnceEveryItemPutWasProcessedByTheChildren() throws Exception {
        final int items = 120;
        try (JoinableQueue<Integer> jobs = JoinableQueue.create(Queue.builder(Integer.class).capacity(16), "join-jobs");
             SharedLong processed = SharedLong.create("join-processed")) {
            final List<ChildProcess> workers = ChildProcessBuilder.startAll(
                ChildProcess.builder(Worker.class).jvmOptions(FAST_JVM).args(jobs, processed),
                ChildProcess.builder(Worker.class).jvmOptions(FAST_JVM).args(jobs, processed));
            try {
                for (int i = 0; i < items; i++) {
                    jobs.put(i);
                }
                assertThat(jobs.join(Duration.ofSeconds(90))).isTrue();
                assertThat(processed.get()).as("every item processed when join returned").isEqualTo(items);
                assertThat(jobs.unfinishedTasks()).isZero();
                assertThat(jobs.abandonedTasks()).isZero();
                assertThat(SharedStateInspector.snapshot()).anyMatch(info -> info.describe()
                    .equals("joinable join-jobs (unfinished 0)"));
                jobs.close();
                for (final ChildProcess worker : workers) {
                    worker.joinAndCheck(Duration.ofSeconds(60));
                }
            } finally {
                workers.forEach(ChildProcess::close);
            }
        }
    }

    @Test
    void theItemsOfAKilledConsumerAreWrittenOffAndJoinGoesOn() throws Exception {
        try (JoinableQueue<Integer> jobs = JoinableQueue.create(Queue.builder(Integer.class).capacity(16), "join-dead");
             SharedLong taken = SharedLong.create("join-dead-taken")) {
            for (int i = 0; i < 8; i++) {
                jobs.put(i);
            }
            try (ChildProcess consumer = ChildProcess.builder(TakeAndHang.class).jvmOptions(FAST_JVM)
                .args(jobs, taken, 5).start()) {
                Await.until(Duration.ofSeconds(60), () -> taken.get() == 6, () -> "the consumer to take 6");
                assertThat(jobs.unfinishedTasks()).isEqualTo(7);
                assertThat(jobs.join(Duration.ofMillis(300))).isFalse();
                for (int i = 0; i < 2; i++) {
                    jobs.take();
                    jobs.taskDone();
                }
                assertThat(jobs.join(Duration.ofMillis(300))).as("the live consumer's 5 still count").isFalse();
                consumer.kill();
                final long start = System.nanoTime();
                assertThat(jobs.join(Duration.ofSeconds(30))).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                assertThat(jobs.abandonedTasks()).isEqualTo(5);
            }
        }
    }

    @Test
    void taskDoneMoreOftenThanItemsTakenIsRefusedAndJoinAnswersInterrupts() throws Exception {
        try (JoinableQueue<String> jobs = JoinableQueue.create(Queue.builder(String.class), "join-misuse")) {
            assertThatThrownBy(jobs::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("join-misuse");
            jobs.put("a");
            assertThat(jobs.take()).isEqualTo("a");
            jobs.taskDone();
            assertThatThrownBy(jobs::taskDone).isInstanceOf(IllegalStateException.class);
            assertThat(jobs.join(Duration.ZERO)).isTrue();
            jobs.put("b");
            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread joiner = new Thread(() -> {
                try {
                    jobs.join();
                } catch (final Throwable ex) {
                    thrown.set(ex);
                }
            });
            joiner.start();
            Thread.sleep(100);
            joiner.interrupt();
            joiner.join(30_000);
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void anUnrelatedJvmOpensQueuesAndAJoinableQueueByName() throws Exception {
        try (Queue<String> requests = Queue.builder(String.class).name("open-requests").capacity(8).build();
             Queue<String> replies = Queue.builder(String.class).name("open-replies").capacity(8).build();
             JoinableQueue<String> jobs = JoinableQueue.create(Queue.builder(String.class).capacity(8), "open-jobs")) {
            requests.put("ping");
            jobs.put("job");
            final List<String> output = SharedValuesCrossProcessTest.runUnrelated(OpenQueueByNameMain.class.getName(),
                "open");
            assertThat(output).contains("request ping", "job job");
            assertThat(replies.poll(30, TimeUnit.SECONDS)).isEqualTo("pong");
            assertThat(jobs.join(Duration.ofSeconds(30))).isTrue();
            assertThatThrownBy(() -> Queue.open("no-such-queue", String.class))
                .isInstanceOf(dev.forklift.ForkliftException.class).hasMessageContaining("'no-such-queue'");
        }
    }
}
