package dev.forklift.process.internal;

import dev.forklift.process.ChildStartException;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;
import dev.forklift.shm.SharedMemoryDirectory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A warm worker's rehearsal of a child's start ({@link ChildRehearsal}), played in the test JVM. */
class ChildRehearsalTest {
    /** A task that records nothing: the rehearsal only instantiates it. */
    public static final class NoopTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
        }
    }

    /** Not a usable task class: no public constructor. */
    public static final class HiddenConstructorTask implements ProcessTask {
        private HiddenConstructorTask() {
        }

        @Override
        public void run(final TaskContext context) {
        }
    }

    @Test
    void theArgumentsComeBackDecodedAsALeasedChildGetsThemWithTheirQueuesAttachedAgain() throws Exception {
        final String roleBefore = System.getProperty("forklift.role");
        try (Queue<byte[]> queue = Queue.builder(byte[].class).name("rehearsal-test").capacity(2).build()) {
            final TaskContext context = ChildRehearsal.rehearse(NoopTask.class, queue, 7, "x");
            @SuppressWarnings("unchecked")
            final Queue<byte[]> attached = context.arg(0, Queue.class);
            assertThat(attached).isNotSameAs(queue);
            assertThat(context.arg(1, Integer.class)).isEqualTo(7);
            assertThat(context.arg(2, String.class)).isEqualTo("x");
            attached.put(new byte[] {42});
            assertThat(queue.poll(5, TimeUnit.SECONDS)).containsExactly(42);
        }
        assertThat(System.getProperty("forklift.role")).isEqualTo(roleBefore); // a rehearsal names no process
    }

    @Test
    void aClassThatCannotBeATaskFailsAsItWouldInALeasedChild() {
        assertThatThrownBy(() -> ChildRehearsal.rehearse(HiddenConstructorTask.class))
            .isInstanceOf(ChildStartException.class).hasMessageContaining(HiddenConstructorTask.class.getName());
    }

    @Test
    void theControlConnectionRehearsalCarriesItsFramesAndLeavesNoSocketBehind() throws Exception {
        ChildRehearsal.rehearseConnection();
        final long pid = ProcessHandle.current().pid();
        assertThat(SharedMemoryDirectory.current().liveFiles("rehearsal"))
            .noneMatch(file -> SharedMemoryDirectory.ownerPid(file).orElse(0L) == pid);
    }
}
