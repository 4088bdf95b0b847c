package dev.forklift.sync;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.EndOfStreamException;
import dev.forklift.queue.Queue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pipes and {@link Readiness#await} between real child JVMs. */
@ProcessDeadline(seconds = 120)
class PipeCrossProcessTest {
    private static final String[] FAST_JVM = SharedValuesCrossProcessTest.FAST_JVM;

    /** Echoes every message back until the other end closes, then sends "bye" and closes its own end. */
    public static final class Echo implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            try (PipeConnection connection = context.arg(0, PipeConnection.class)) {
                while (true) {
                    final Object message;
                    try {
                        message = connection.receive();
                    } catch (final EndOfStreamException end) {
                        connection.send("bye");
                        return;
                    }
                    if (message instanceof byte[]) {
                        connection.sendBytes((byte[]) message);
                    } else {
                        connection.send(message);
                    }
                }
            }
        }
    }

    /** Sends {@code count} numbered messages, then sleeps until killed. */
    public static final class SendThenHang implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            final PipeConnection connection = context.arg(0, PipeConnection.class);
            final int count = context.arg(1, Integer.class);
            for (int i = 0; i < count; i++) {
                connection.send(i);
            }
            Thread.sleep(600_000);
        }
    }

    /** Sleeps, then sends "late" on its pipe, then exits. */
    public static final class LateSender implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final TaskContext context) throws Exception {
            Thread.sleep(context.arg(1, Integer.class));
            context.arg(0, PipeConnection.class).send("late");
        }
    }

    @Test
    void objectsAndBytesMakeTheRoundTripThroughAChildAndTheEndIsSeenOnBothSides() throws Exception {
        try (Pipe pipe = Pipe.create("pipe-echo");
             ChildProcess echo = ChildProcess.builder(Echo.class).jvmOptions(FAST_JVM).args(pipe.right()).start()) {
            final PipeConnection here = pipe.left();
            assertThat(here.poll(Duration.ofMillis(50))).isFalse();
            final List<Object> sent = List.of("text", 42, 7L, List.of("a", "b"), Map.of("k", 1.5));
            for (final Object message : sent) {
                here.send(message);
                assertThat(here.poll(Duration.ofSeconds(60))).isTrue();
                assertThat(here.receive()).isEqualTo(message);
            }
            here.sendBytes(new byte[] {1, 2, 3});
            assertThat(here.receiveBytes()).containsExactly(1, 2, 3);
            here.send("typed");
            assertThat(here.receive(String.class)).isEqualTo("typed");
            here.close();
            assertThat(here.receive(Duration.ofSeconds(60))).isEqualTo("bye");
            echo.joinAndCheck(Duration.ofSeconds(60));
            assertThat(here.isOtherEndClosed()).isTrue();
            assertThat(here.poll()).as("the end of the stream is ready to receive").isTrue();
            assertThatThrownBy(here::receive).isInstanceOf(EndOfStreamException.class);
        }
    }

    @Test
    void aKilledSenderLeavesWhatItSentAndTheReceiverTimesOutInsteadOfHanging() throws Exception {
        try (Pipe pipe = Pipe.create("pipe-killed", 16, 1024);
             ChildProcess sender = ChildProcess.builder(SendThenHang.class).jvmOptions(FAST_JVM)
                 .args(pipe.right(), 200).start()) {
            final PipeConnection here = pipe.left();
            for (int i = 0; i < 100; i++) {
                assertThat(here.receive(Duration.ofSeconds(60))).isEqualTo(i);
            }
            sender.kill();
            for (int i = 100; i < 200; i++) {
                final Object message = here.receive(Duration.ofSeconds(1));
                if (message == null) {
                    break; // killed before it sent them all: fine, nothing is lost of what it sent
                }
                assertThat(message).isEqualTo(i);
            }
            assertThat(here.receive(Duration.ofMillis(200))).isNull();
            assertThat(Readiness.await(List.of(here, sender), Duration.ofSeconds(30))).containsExactly(sender);
        }
    }

    @Test
    void aSenderThatDiesInsideASendLeavesNothingReadyToReceive() throws Exception {
        final String[] haltInThirdSend = Arrays.copyOf(FAST_JVM, FAST_JVM.length + 1);
        haltInThirdSend[FAST_JVM.length] = "-Dforklift.fault.queue.haltAfterWriteClaims=3";
        try (Pipe pipe = Pipe.create("pipe-halted", 16, 1024);
             ChildProcess sender = ChildProcess.builder(SendThenHang.class).jvmOptions(haltInThirdSend)
                 .args(pipe.right(), 5).start()) {
            final PipeConnection here = pipe.left();
            assertThat(here.receive(Duration.ofSeconds(60))).isEqualTo(0);
            assertThat(here.receive(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(sender.join(Duration.ofSeconds(60))).isTrue();
            assertThat(sender.exitCode()).as("halted inside its third send").isEqualTo(137);
            assertThat(here.poll()).as("the slot it claimed was never published").isFalse();
            assertThat(Readiness.await(List.of(here), Duration.ofMillis(300))).isEmpty();
            assertThat(here.receive(Duration.ofMillis(300))).isNull();
            assertThat(here.poll()).isFalse();
        }
    }

    @Test
    void awaitReturnsWhatIsReadyAmongPipesQueuesAndChildrenWithinItsTimeoutAndAnswersInterrupts() throws Exception {
        try (Pipe quiet = Pipe.create("await-quiet");
             Pipe talking = Pipe.create("await-talking");
             Queue<String> queue = Queue.builder(String.class).name("await-queue").capacity(4).build();
             ChildProcess late = ChildProcess.builder(LateSender.class).jvmOptions(FAST_JVM)
                 .args(talking.right(), 300).start()) {
            final List<Object> all = List.of(quiet.left(), talking.left(), queue);
            assertThat(Readiness.await(all, Duration.ofMillis(100))).isEmpty();
            assertThat(Readiness.await(all, Duration.ofSeconds(60))).containsExactly(talking.left());
            assertThat(talking.left().receive()).isEqualTo("late");
            late.joinAndCheck(Duration.ofSeconds(60));
            assertThat(Readiness.await(List.of(quiet.left(), late), null)).containsExactly(late);
            queue.put("item");
            assertThat(Readiness.await(all, Duration.ZERO)).containsExactly(queue);
            assertThatThrownBy(() -> Readiness.await(List.of("text"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
            assertThatThrownBy(() -> Readiness.await(null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("objects must not be null");

            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread waiter = new Thread(() -> {
                try {
                    Readiness.await(List.of(quiet.left()), null);
                } catch (final Throwable ex) {
                    thrown.set(ex);
                }
            });
            waiter.start();
            Thread.sleep(100);
            waiter.interrupt();
            waiter.join(30_000);
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            final CompletableFuture<Object> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    return quiet.left().receive();
                } catch (final InterruptedException ex) {
                    return ex;
                }
            });
            assertThat(receiving.completeOnTimeout("still waiting", 200, TimeUnit.MILLISECONDS).get())
                .isEqualTo("still waiting");
        }
    }

    @Test
    void aPipeRefusesAMessageOfAClassOutsideItsAllowList() throws Exception {
        try (Pipe pipe = Pipe.create("pipe-allow", 4, 4096)) {
            assertThatThrownBy(() -> pipe.left().send(new ArrayList<>(List.of(new StringBuilder("x")))))
                .isInstanceOf(dev.forklift.codec.CodecException.class);
            pipe.left().send(Arrays.asList(1, 2));
            assertThat(pipe.right().receive()).isEqualTo(List.of(1, 2));
        }
    }
}
