package dev.forklift.process;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a child's bootstrap exposes and what the parent takes from it: the child's secret token is not in its
 * command line (readable by every user with {@code ps}) nor in its environment, and a child writing endless output
 * without a line break cannot make its parent hold that output in memory as one line.
 */
@ProcessDeadline(seconds = 120)
class ChildBootstrapSafetyTest {
    /** The token is 16 random bytes in hex. */
    private static final Pattern TOKEN_LIKE = Pattern.compile("[0-9a-f]{32}");
    private static final int LINE_CAP_BYTES = 64 * 1024;

    /** Writes {@code arg 0} MiB of 'x' to stdout without a line break, then one short line. */
    public static final class EndlessLine implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            final int mebibytes = context.arg(0, Integer.class);
            final byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            final OutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out);
            for (int i = 0; i < mebibytes; i++) {
                out.write(chunk);
            }
            out.write("\nafter\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    @Test
    void theTokenIsNeitherInTheChildsCommandLineNorInItsEnvironment() throws Exception {
        try (ChildProcess child = ChildProcess.builder(TestTasks.BlockForeverTask.class).name("quiet")
            .jvmOptions(TestTasks.FAST_JVM).start()) {
            Await.until(Duration.ofSeconds(10), () -> "blocked".equals(child.state()), () -> "task running");
            final List<String> argv = nulSeparated(Path.of("/proc", Long.toString(child.pid()), "cmdline"));
            assertThat(argv).as("the child's command line").isNotEmpty()
                .noneMatch(arg -> TOKEN_LIKE.matcher(arg).find());
            final java.util.Set<String> inherited = System.getenv().entrySet().stream()
                .map(variable -> variable.getKey() + "=" + variable.getValue()).collect(Collectors.toSet());
            final List<String> added = nulSeparated(Path.of("/proc", Long.toString(child.pid()), "environ")).stream()
                .filter(variable -> !inherited.contains(variable)).collect(Collectors.toList());
            assertThat(added).as("variables the child has beyond this process's environment")
                .noneMatch(variable -> TOKEN_LIKE.matcher(variable).find());
        }
    }

    @Test
    void aChildWritingOneHundredMebibytesWithoutALineBreakReachesTheParentInBoundedLines() throws Exception {
        final int mebibytes = 100;
        final AtomicLong longestLine = new AtomicLong();
        final AtomicLong payloadBytes = new AtomicLong();
        final AtomicInteger lines = new AtomicInteger();
        final AtomicInteger afterLines = new AtomicInteger();
        final ChildOutput counting = (stream, line) -> {
            if (stream != ChildOutput.Stream.STDOUT) {
                return;
            }
            lines.incrementAndGet();
            longestLine.accumulateAndGet(line.length(), Math::max);
            final String content = line.substring(line.indexOf("] ") + 2);
            final int end = content.indexOf(' ');
            payloadBytes.addAndGet(content.substring(0, end < 0 ? content.length() : end).chars()
                .filter(c -> c == 'x').count());
            if (line.endsWith("after")) {
                afterLines.incrementAndGet();
            }
        };
        try (ChildProcess child = ChildProcess.builder(EndlessLine.class).name("endless")
            .jvmOptions(TestTasks.FAST_JVM).args(mebibytes).output(counting).start()) {
            child.joinAndCheck(Duration.ofSeconds(90));
        }
        assertThat(longestLine.get()).as("longest line forwarded, in chars").isLessThanOrEqualTo(LINE_CAP_BYTES + 200);
        assertThat(payloadBytes.get()).as("every byte forwarded (split, not dropped)")
            .isEqualTo((long) mebibytes << 20);
        assertThat(lines.get()).isGreaterThanOrEqualTo((mebibytes << 20) / LINE_CAP_BYTES);
        assertThat(afterLines.get()).as("the next line still arrives whole").isEqualTo(1);
    }

    private static List<String> nulSeparated(final Path file) throws Exception {
        return Arrays.stream(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0"))
            .filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }
}
