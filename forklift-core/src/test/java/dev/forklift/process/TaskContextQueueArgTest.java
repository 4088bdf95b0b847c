package dev.forklift.process;

import dev.forklift.queue.Queue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskContext#queueArg} gives a child a typed queue, and refuses a queue of another type by name. */
@ProcessDeadline(seconds = 90)
class TaskContextQueueArgTest {
    /** Puts "typed" on its queue of strings; asking for a queue of integers must fail with a clear message. */
    public static final class TypedQueueTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<String> lines = context.queueArg(0, String.class);
            String refusal = "none";
            try {
                context.queueArg(0, Integer.class);
            } catch (final IllegalArgumentException ex) {
                refusal = ex.getMessage();
            }
            lines.put("typed");
            lines.put(refusal);
        }
    }

    @Test
    void aChildGetsItsQueueTypedAndAQueueOfAnotherTypeIsRefusedByName() throws Exception {
        try (Queue<String> queue = Queue.builder(String.class).name("typed-arg").build();
             ChildProcess child = ChildProcess.builder(TypedQueueTask.class).jvmOptions(TestTasks.FAST_JVM)
                 .args(queue).start()) {
            child.joinAndCheck(Duration.ofSeconds(60));
            assertThat(queue.poll(10, TimeUnit.SECONDS)).isEqualTo("typed");
            assertThat(queue.poll(10, TimeUnit.SECONDS))
                .isEqualTo("argument 0 is a queue of java.lang.String, not of java.lang.Integer");
        }
        try (Queue<Integer> numbers = Queue.builder(Integer.class).name("typed-int").build()) {
            assertThat(numbers.elementType()).isEqualTo(Integer.class);
        }
    }
}
