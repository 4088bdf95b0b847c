package dev.forklift.process;

import dev.forklift.testing.ProcessDeadline;
import dev.forklift.testing.RecordingHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** A child's output routed to the application's logger instead of this process's streams. */
@ProcessDeadline(seconds = 60)
class ChildOutputLoggerTest {
    @Test
    void theLinesOfAChildGoToALoggerWithTheirPrefixStdoutAtInfoStderrAtWarning() throws Exception {
        try (RecordingHandler log = RecordingHandler.attach("test.children")) {
            final ChildProcess child = ChildProcess.builder(TestTasks.ChattyTask.class).name("chatty").args(3)
                .jvmOptions(TestTasks.FAST_JVM).output(ChildOutput.toLogger(System.getLogger("test.children")))
                .start();
            child.joinAndCheck(Duration.ofSeconds(30));
            final String prefix = "[chatty " + child.pid() + "] ";
            assertThat(log.messages(Level.INFO)).hasSize(3).allSatisfy(m -> assertThat(m).startsWith(prefix + "out-"));
            assertThat(log.messages(Level.WARNING)).containsExactly(prefix + "err-0-end", prefix + "err-1-end",
                prefix + "err-2-end");
        }
    }
}
