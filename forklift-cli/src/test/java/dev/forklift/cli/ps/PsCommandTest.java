package dev.forklift.cli.ps;

import dev.forklift.cli.Main;
import dev.forklift.pipeline.Pipeline;
import dev.forklift.pipeline.Routing;
import dev.forklift.pipeline.Source;
import dev.forklift.pipeline.Sources;
import dev.forklift.pipeline.Stage;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code forklift ps} in this JVM sees a pipeline job that runs in another JVM, with its processes and queues. */
@ProcessDeadline(seconds = 120)
class PsCommandTest {
    /** Runs a slow pipeline job in its own JVM: 2 producers, 1 slow stage, until stopped. */
    public static final class SlowJob implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final dev.forklift.process.TaskContext context) throws Exception {
            final List<Source<Integer>> sources = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                sources.add(Sources.iterable("numbers-" + s,
                    IntStream.range(0, 100_000).boxed().collect(Collectors.toCollection(ArrayList::new))));
            }
            Pipeline.read(Integer.class, sources).name("psjob").producers(2).queueCapacity(16)
                .stage("slow", 1, Routing.shared(), (Stage<Integer, Integer>) (item, out) -> {
                    Thread.sleep(5);
                    out.emit(item);
                }, Integer.class)
                .build().run(item -> { });
        }
    }

    /** Sleeps until killed. */
    public static final class Sleeper implements ProcessTask {
        private static final long serialVersionUID = 1L;

        @Override
        public void run(final dev.forklift.process.TaskContext context) throws Exception {
            Thread.sleep(600_000);
        }
    }

    static String ps() {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute("ps")).isZero();
        return out.toString();
    }

    @Test
    void shouldShowARunningJobOfAnotherProcess() throws Exception {
        try (ChildProcess job = ChildProcess.builder(SlowJob.class).role("driver").name("ps-driver").start()) {
            final String[] seen = {""};
            Await.until(Duration.ofSeconds(60), () -> {
                seen[0] = ps();
                return seen[0].contains("JOB psjob (pid " + job.pid() + ")") && seen[0].contains(" slow ")
                    && seen[0].matches("(?s).*psjob-slow-0 .*running +[1-9][0-9,]* .*");
            }, () -> "ps output with the job, its stage process and items done:\n" + seen[0]);

            final String output = seen[0];
            assertThat(output).contains("psjob-producer-0").contains("psjob-producer-1")
                .containsPattern("QUEUES .*psjob-slow-0 \\d+/16")
                .containsPattern("QUEUES .*psjob-sink \\d+/16");
            final String jobBlock = output.substring(output.indexOf("JOB psjob"));
            assertThat(jobBlock.lines().filter(l -> l.contains("psjob-producer")).findFirst().orElseThrow())
                .contains(" " + job.pid() + " ").containsPattern("\\d+M");
        }
    }

    @Test
    void aLongRoleOrNameKeepsEveryColumnInPlace() throws Exception {
        // Longer than the fixed columns of before (10 and 26), within what a status row keeps (15 and 31).
        final String role = "pool-worker-ext";
        final String name = "a-name-of-twenty-nine-letters";
        try (ChildProcess child = ChildProcess.builder(Sleeper.class).role(role).name(name).start()) {
            final String[] seen = {""};
            Await.until(Duration.ofSeconds(60), () -> {
                seen[0] = ps();
                return seen[0].contains(" " + name + " ") && seen[0].matches("(?s).*" + name + " +running.*");
            }, () -> "ps output with the child running:\n" + seen[0]);
            final List<String> lines = seen[0].lines().collect(Collectors.toList());
            final int row = lines.indexOf(lines.stream().filter(l -> l.contains(" " + name + " ")).findFirst()
                .orElseThrow());
            int header = row;
            while (!lines.get(header).trim().startsWith("PID ")) {
                header--;
            }
            final String head = lines.get(header);
            final String line = lines.get(row);
            assertThat(line.indexOf(role)).as("ROLE column:\n%s\n%s", head, line).isEqualTo(head.indexOf("ROLE"));
            assertThat(line.indexOf(name)).as("NAME column:\n%s\n%s", head, line).isEqualTo(head.indexOf("NAME"));
            assertThat(line.indexOf("running")).as("STATE column:\n%s\n%s", head, line)
                .isEqualTo(head.indexOf("STATE"));
            for (int i = header + 1; i < lines.size() && lines.get(i).startsWith("  ") && !lines.get(i).startsWith(
                "  QUEUES"); i++) {
                assertThat(lines.get(i).length()).as("a row no longer than its columns: %s", lines.get(i))
                    .isLessThanOrEqualTo(head.length() + 2);
            }
        }
    }

    @Test
    void shouldListSharedValuesArraysAndSegmentsWithTheirOwner() {
        try (dev.forklift.sync.SharedLong hits = dev.forklift.sync.SharedLong.create("ps-hits", 5);
             dev.forklift.sync.SharedIntArray bins = dev.forklift.sync.SharedIntArray.create("ps-bins", 3);
             dev.forklift.sync.SharedSegment frame = dev.forklift.sync.SharedSegment.create("ps-frame", 100)) {
            final String output = ps();
            assertThat(output).containsPattern("SHARED .*value ps-hits \\(long\\) = 5")
                .containsPattern("SHARED .*array ps-bins \\(int\\[3\\]\\)")
                .containsPattern("SHARED .*segment ps-frame \\(100 bytes\\)");
            final long pid = ProcessHandle.current().pid();
            final String line = output.lines().filter(l -> l.contains("ps-hits")).findFirst().orElseThrow();
            final boolean underOwnJob = output.contains("(pid " + pid + ")");
            assertThat(underOwnJob).as("listed under this process: %s", output).isTrue();
            assertThat(line).startsWith(line.startsWith("SHARED (pid") ? "SHARED (pid " + pid + ")" : "  SHARED ");
        }
        assertThat(ps()).doesNotContain("ps-hits");
    }

    @Test
    void shouldListNamedSyncObjectsWithWhoHoldsThem() throws Exception {
        try (dev.forklift.sync.SharedMutex mutex = dev.forklift.sync.SharedMutex.create("ps-ledger-lock");
             dev.forklift.sync.SharedSemaphore slots = dev.forklift.sync.SharedSemaphore.create("ps-slots", 3)) {
            mutex.lock();
            try {
                assertThat(slots.tryAcquire()).isTrue();
                final String output = ps();
                final long self = ProcessHandle.current().pid();
                assertThat(output).contains("SYNC OBJECTS")
                    .containsPattern("mutex +ps-ledger-lock +" + self + " +held by pid " + self)
                    .containsPattern("semaphore +ps-slots +" + self + " +2 of 3 permits available");
            } finally {
                mutex.unlock();
            }
            assertThat(ps()).containsPattern("mutex +ps-ledger-lock +\\d+ +free");
        }
    }
}
