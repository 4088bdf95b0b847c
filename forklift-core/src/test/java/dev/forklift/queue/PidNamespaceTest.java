package dev.forklift.queue;

import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.shm.PidNamespace;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes in another pid namespace that share the shared-memory directory (containers sharing IPC, a pod's memory
 * volume) cannot be judged by pid from here: their pids mean nothing in this namespace. Their files are never
 * reclaimed and the slots of a queue they use are never repaired by pid. The other namespace is simulated: a child
 * JVM started with {@code -Dforklift.test.pidNamespace=N} takes {@code N} for the id of its pid namespace, and is
 * killed with {@code kill -9} so that from here its pid is dead, as a foreign pid usually looks.
 */
@ProcessDeadline(seconds = 120)
class PidNamespaceTest {
    private static final String SIMULATED_NAMESPACE = "forklift.test.pidNamespace";
    private static final String FOREIGN_NAMESPACE = "4026500001";
    private static final String HALT_AFTER_WRITE_CLAIMS = "forklift.fault.queue.haltAfterWriteClaims";
    private static final Duration JOIN = Duration.ofSeconds(60);

    /** Creates a queue, writes its path to the file in arg 0, and sleeps. */
    public static final class Owner implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<String> queue = Queue.builder(String.class).name("ns-owner").build();
            Files.writeString(Path.of(context.arg(0, String.class)), ((SharedQueue<String>) queue).path().toString());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Puts 1, 2, 3, ... into the queue in arg 0 (it halts at its fault point). */
    public static final class Producer implements ProcessTask {
        @Override
        @SuppressWarnings("unchecked")
        public void run(final TaskContext context) throws Exception {
            final Queue<Long> queue = context.arg(0, Queue.class);
            for (long i = 1; ; i++) {
                queue.put(i);
            }
        }
    }

    @Test
    void theFilesOfAnOwnerInAnotherPidNamespaceAreNotReclaimedThoseOfThisOneAre(@TempDir final Path temp)
        throws Exception {
        final Path foreignFile = fileOfAKilledOwner(temp.resolve("foreign.txt"), FOREIGN_NAMESPACE);
        final Path nativeFile = fileOfAKilledOwner(temp.resolve("native.txt"), null);
        try {
            SharedMemoryDirectory.current().reclaimStale();

            assertThat(Files.exists(nativeFile)).as("file of a dead owner of this namespace reclaimed").isFalse();
            assertThat(Files.exists(foreignFile)).as("file of an owner of another namespace kept").isTrue();
        } finally {
            Files.deleteIfExists(foreignFile);
        }
    }

    @Test
    void aSlotHeldByAProcessOfAnotherPidNamespaceIsNeverRepairedByPid() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("ns-mixed").capacity(8)
            .repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess holder = ChildProcess.builder(Producer.class).role("producer")
                .systemProperty(SIMULATED_NAMESPACE, FOREIGN_NAMESPACE).systemProperty(HALT_AFTER_WRITE_CLAIMS, "1")
                .args(queue).start();
            holder.join(JOIN);
            assertThat(holder.exitCode()).as("halted holding its first slot").isEqualTo(137);
            queue.put(42L);

            assertThat(queue.poll(3, TimeUnit.SECONDS)).as("nothing passes the foreign holder's slot").isNull();
            assertThat(((SharedQueue<Long>) queue).tornCount()).isZero();
        }
    }

    @Test
    void aSlotHeldByADeadProcessOfThisPidNamespaceIsStillRepaired() throws Exception {
        try (Queue<Long> queue = Queue.builder(Long.class).name("ns-same").capacity(8)
            .repairAfter(Duration.ofMillis(300)).build()) {
            final ChildProcess holder = ChildProcess.builder(Producer.class).role("producer")
                .systemProperty(HALT_AFTER_WRITE_CLAIMS, "1").args(queue).start();
            holder.join(JOIN);
            assertThat(holder.exitCode()).as("halted holding its first slot").isEqualTo(137);
            queue.put(42L);

            assertThat(queue.poll(30, TimeUnit.SECONDS)).isEqualTo(42L);
            assertThat(((SharedQueue<Long>) queue).tornCount()).isEqualTo(1);
        }
    }

    /**
     * A real second pid namespace, where the machine allows one: a JVM started with {@code unshare --pid --fork
     * --mount-proc} is pid 1 there, and pid 1 here is another process (started at another time), so by pid alone its
     * live file looked reclaimable.
     */
    @Test
    void theLiveFileOfAnOwnerInARealSecondPidNamespaceIsNotReclaimed() throws Exception {
        final List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        if (!isRoot()) {
            command.addAll(1, List.of("--user", "--map-root-user"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Dforklift.shm.dir=" + SharedMemoryDirectory.current().path().getParent(),
            "-cp", System.getProperty("java.class.path"), ForeignNamespaceOwnerMain.class.getName()));
        final Process foreign = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            final BufferedReader out = new BufferedReader(new InputStreamReader(foreign.getInputStream(),
                StandardCharsets.UTF_8));
            final Map<String, String> report = new HashMap<>();
            final StringBuilder seen = new StringBuilder();
            String line;
            while (report.size() < 3 && (line = out.readLine()) != null) {
                seen.append(line).append('\n');
                final int equals = line.indexOf('=');
                if (equals > 0) {
                    report.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            Assumptions.assumeTrue(report.size() == 3, "no second pid namespace here (unshare said: " + seen + ")");
            assertThat(Long.parseLong(report.get("namespace"))).as("its namespace")
                .isNotEqualTo(PidNamespace.current()).isNotEqualTo(PidNamespace.UNKNOWN);
            final Path file = Path.of(report.get("queue"));
            assertThat(file).exists();

            SharedMemoryDirectory.current().reclaimStale();

            assertThat(file).as("the live file of pid %s of the other namespace", report.get("pid")).exists();
        } finally {
            foreign.getOutputStream().close();
            if (!foreign.waitFor(30, TimeUnit.SECONDS)) {
                foreign.destroyForcibly();
            }
        }
    }

    private static boolean isRoot() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("Uid:"))
            .findFirst().map(line -> line.split("\\s+")[2]).orElse("-1").equals("0");
    }

    private static Path fileOfAKilledOwner(final Path pathFile, final String namespace) throws Exception {
        final dev.forklift.process.ChildProcessBuilder builder = ChildProcess.builder(Owner.class).role("ns-owner")
            .args(pathFile.toString());
        if (namespace != null) {
            builder.systemProperty(SIMULATED_NAMESPACE, namespace);
        }
        try (ChildProcess owner = builder.start()) {
            Await.until(Duration.ofSeconds(30), () -> pathFile.toFile().length() > 0, () -> "queue path published");
            owner.kill();
            assertThat(owner.signal()).hasValue(9);
        }
        final Path file = Path.of(Files.readString(pathFile));
        assertThat(file).as("left behind by kill -9").exists();
        return file;
    }
}
