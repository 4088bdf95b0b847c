package dev.forklift.cluster;

import dev.forklift.pool.Pool;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import dev.forklift.testing.Sigstop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults with real processes on 127.0.0.1: a broker, two worker hosts (each with its own shared-memory directory)
 * and this JVM as the caller. In every case every input's result reaches the caller exactly once.
 */
@ProcessDeadline(seconds = 120)
class ClusterFaultTest {
    private static final int TASKS = 100;
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final SerializableFunction<Integer, Integer> SLOW = x -> {
        try {
            Thread.sleep(30);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return x * 10;
    };

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void create() throws Exception {
        cluster = new LocalCluster(dir, List.of("-Xmx128m"));
    }

    /** Starts the broker and the hosts that are not running (a test before may have killed them). */
    @BeforeEach
    void start() throws Exception {
        if (cluster.broker() == null || !cluster.broker().isAlive()) {
            cluster.startBroker();
        }
        final List<String> missing = new ArrayList<>();
        for (final String name : List.of("h1", "h2")) {
            if (cluster.host(name) == null || !cluster.host(name).isAlive()) {
                missing.add(name);
            }
        }
        cluster.startHosts(missing, 1, LEASE);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Runs the inputs through imapUnordered, calling the fault once a quarter of the results are in. */
    private Map<Integer, Integer> runWith(final Pool pool, final Fault fault) throws Exception {
        final Map<Integer, Integer> seen = new HashMap<>();
        final Iterator<Integer> results = pool.imapUnordered(SLOW, IntStream.range(0, TASKS).boxed().iterator());
        int count = 0;
        while (results.hasNext()) {
            seen.merge(results.next(), 1, Integer::sum);
            if (++count == TASKS / 4) {
                fault.inject();
            }
        }
        return seen;
    }

    private static void assertEveryResultOnce(final Map<Integer, Integer> seen) {
        assertThat(seen).hasSize(TASKS);
        for (int i = 0; i < TASKS; i++) {
            assertThat(seen.get(i * 10)).as("times result %d was delivered", i * 10).isEqualTo(1);
        }
    }

    private interface Fault {
        void inject() throws Exception;
    }

    private Pool pool() {
        return Pool.builder().broker(cluster.url()).name("faults").build();
    }

    @Test
    void killOfAWorkerJvmMidTaskCostsOnlyARetry() throws Exception {
        try (Pool pool = pool()) {
            final Map<Integer, Integer> seen = runWith(pool, () -> {
                final List<Long> pids = pool.workerPids();
                assertThat(pids).isNotEmpty();
                new ProcessBuilder("kill", "-9", Long.toString(pids.get(0))).start().waitFor();
            });
            assertEveryResultOnce(seen);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }

    @Test
    void killOfAWholeWorkerHostHandsItsTasksToTheOther() throws Exception {
        try (Pool pool = pool()) {
            final Map<Integer, Integer> seen = runWith(pool, () -> LocalCluster.kill9(cluster.host("h1")));
            assertEveryResultOnce(seen);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }

    @Test
    void aHostStoppedLongerThanItsLeaseHasItsTasksDoneElsewhereAndItsLateResultsDropped() throws Exception {
        try (Pool pool = pool()) {
            final long h1 = cluster.host("h1").pid();
            final Map<Integer, Integer> seen = runWith(pool, () -> {
                // The premise: h1 holds tasks when it stops, and the broker gives up on it before it resumes.
                // Both are awaited, not assumed: a host restarted by the test before may still be starting, and
                // a loaded broker notices a silent client some seconds after its lease.
                Await.until(Duration.ofSeconds(30), () -> hostHoldsTasks("h1"), () -> "h1 holding a task");
                Sigstop.stop(h1, Duration.ofSeconds(10));
                Thread.sleep(LEASE.toMillis() * 3);
                Await.until(Duration.ofSeconds(30), () -> taskConsumers() == 1,
                    () -> "the broker dropping the stopped host h1 (one consumer of the tasks left)");
                Sigstop.resume(h1);
            });
            assertEveryResultOnce(seen);
            // h1 is back: the results of the tasks it held arrive late and are dropped, never delivered
            Await.until(Duration.ofSeconds(30), () -> pool.stats().lateResultsDiscarded() > 0,
                () -> "the late results of the stopped host dropped");
            assertThat(seen.values()).allMatch(times -> times == 1);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }

    private static boolean hostHoldsTasks(final String name) {
        return ClusterStatus.read(cluster.url()).hosts().stream()
            .anyMatch(host -> host.host().equals(name) && host.tasksHeld() > 0);
    }

    private static long taskConsumers() {
        return ClusterStatus.read(cluster.url()).queues().stream()
            .filter(queue -> queue.name().equals(dev.forklift.cluster.internal.Protocol.TASKS))
            .mapToLong(ClusterStatus.QueueStatus::consumers).sum();
    }

    @Test
    void hostsReportedReadyAlreadyPullTasks() throws Exception {
        LocalCluster.kill9(cluster.host("h1"));
        LocalCluster.kill9(cluster.host("h2"));
        Await.until(Duration.ofSeconds(30), () -> taskConsumers() == 0, () -> "the killed hosts' consumers gone");
        cluster.startHosts(List.of("h1", "h2"), 1, LEASE);
        // ready means consuming: a map sent now is shared by both, not all prefetched by the first one to connect
        assertThat(taskConsumers()).isEqualTo(2);
    }

    @Test
    void killOfTheBrokerAndARestartFromItsJournalLetsTheRunComplete() throws Exception {
        try (Pool pool = pool()) {
            final Map<Integer, Integer> seen = runWith(pool, () -> {
                LocalCluster.kill9(cluster.broker());
                cluster.startBroker();
            });
            assertEveryResultOnce(seen);
            assertThat(pool.failedTasks()).isEmpty();
        }
    }
}
