package dev.forklift.pool.internal;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.RemoteTaskException;
import dev.forklift.process.WorkStamp;
import dev.forklift.queue.Queue;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker is killed through the handle of the process that was started, never by its pid: once the child has been
 * reaped its pid may belong to an unrelated process. The recycled pid is simulated: a channel whose child was reaped
 * reports the pid of a live bystander process, and {@code killNow} must leave the bystander alone.
 */
@ProcessDeadline(seconds = 60)
class KillByHandleTest {
    /** A child handle whose process has exited and been reaped, and whose old pid now names another process. */
    private static final class ReapedChild implements ChildProcess {
        private final Process reaped;
        private final long recycledPid;

        ReapedChild(final Process reaped, final long recycledPid) {
            this.reaped = reaped;
            this.recycledPid = recycledPid;
        }

        @Override
        public long pid() {
            return recycledPid;
        }

        @Override
        public String name() {
            return "reaped";
        }

        @Override
        public String role() {
            return "pool-worker";
        }

        @Override
        public boolean isAlive() {
            return false;
        }

        @Override
        public boolean join(final Duration timeout) {
            return true;
        }

        @Override
        public ExitStatus joinAndCheck(final Duration timeout) {
            return exitStatus().orElseThrow();
        }

        @Override
        public Optional<ExitStatus> exitStatus() {
            return Optional.of(new ExitStatus(0, OptionalInt.empty(), Optional.empty(), true));
        }

        @Override
        public int exitCode() {
            return 0;
        }

        @Override
        public OptionalInt signal() {
            return OptionalInt.empty();
        }

        @Override
        public Optional<RemoteTaskException> failure() {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return CompletableFuture.completedFuture(exitStatus().orElseThrow());
        }

        @Override
        public long itemsDone() {
            return 0;
        }

        @Override
        public long lastHeartbeatEpochMs() {
            return 0;
        }

        @Override
        public WorkStamp workStamp() {
            return WorkStamp.NONE;
        }

        @Override
        public String state() {
            return "exited";
        }

        @Override
        public void terminate(final Duration grace) {
            reaped.destroy();
        }

        @Override
        public void kill() {
            reaped.destroyForcibly();
        }

        /** As the real handle does: through the started process, which knows it was reaped. */
        public void killNow() {
            reaped.destroyForcibly();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void killNowOfAReapedWorkerLeavesTheProcessThatGotItsPidAlone() throws Exception {
        final Process reaped = new ProcessBuilder("true").start();
        assertThat(reaped.waitFor(30, TimeUnit.SECONDS)).isTrue();
        final Process bystander = new ProcessBuilder("sleep", "300").start();
        try (Queue<byte[]> inbox = Queue.builder(byte[].class).name("kill-by-handle").capacity(2).build()) {
            final WorkerChannel channel = channel(new ReapedChild(reaped, bystander.pid()), inbox);
            assertThat(channel.pid()).isEqualTo(bystander.pid());

            channel.killNow();

            assertThat(bystander.waitFor(1, TimeUnit.SECONDS)).as("the bystander was killed").isFalse();
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            bystander.destroyForcibly();
            bystander.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void noProductionCodeSignalsAProcessItLookedUpByPid() throws IOException {
        final Pattern lookupThenSignal = Pattern.compile("ProcessHandle\\.of\\([^;]*\\)[^;]*\\b(destroy|destroyForcibly)\\b");
        final Path sources = Path.of("src", "main", "java");
        final List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(path -> path.toString().endsWith(".java")).filter(path -> {
                try {
                    return lookupThenSignal.matcher(Files.readString(path)).find();
                } catch (final IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }).map(Path::toString).collect(Collectors.toList());
        }
        assertThat(offenders).as("files that kill a process found by pid").isEmpty();
    }

    private static WorkerChannel channel(final ChildProcess child, final Queue<byte[]> inbox) throws Exception {
        final Class<?> type = Class.forName(SharedMemoryTransport.class.getName() + "$Channel");
        final Constructor<?> constructor = type.getDeclaredConstructor(ChildProcess.class, Queue.class, Path.class);
        constructor.setAccessible(true);
        return (WorkerChannel) constructor.newInstance(child, inbox, Path.of("/nonexistent-exit-marker"));
    }
}
