package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool with warm workers leases them first thing in its build ({@link WarmPrelease}): the lease is answered and
 * the workers connect back before any child's plan exists; a child of the same key takes them, one of another key
 * does not, and those no child took are killed when the prelease is closed.
 */
@ProcessDeadline(seconds = 120)
class WarmPreleaseTest {
    private static final Duration HOST_WARM = Duration.ofSeconds(60);
    private static final String TASK = "dev.forklift.pool.internal.WorkerMain";
    private static final List<String> KEYS = new ArrayList<>();

    @AfterAll
    static void stopHosts() {
        KEYS.forEach(WarmHostClient::stopHost);
    }

    private static String classpath() {
        return System.getProperty("java.class.path");
    }

    /** @return JVM options of a key of this test's own, whose host holds 2 spares. */
    private static List<String> warmedKey() {
        final List<String> options = List.of("-Dforklift.test.warmKey=" + UUID.randomUUID());
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), options).orElseThrow();
        KEYS.add(key);
        assertThat(WarmHostClient.warmUp(classpath(), options, 2, HOST_WARM)).isTrue();
        Await.until(HOST_WARM, () -> WarmHostClient.sparePids(key).size() >= 2, () -> "2 spares of " + key);
        return options;
    }

    private static LaunchPlan plan(final List<String> options) {
        return new LaunchPlan("prelease-child", "worker", TASK, null, new byte[0], Set.of(), options, Map.of(),
            Map.of(), classpath(), Duration.ofSeconds(30), ChildOutput.discard(), true, true);
    }

    @Test
    void sparesAreLeasedAndConnectBackBeforeAnyPlanAndAChildOfTheKeyTakesThem() throws Exception {
        final List<String> options = warmedKey();
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), options).orElseThrow();
        final Set<Long> spares = new HashSet<>(WarmHostClient.sparePids(key));
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, TASK)) {
            prelease.awaitAnswer();
            assertThat(WarmPrelease.claim(plan(List.of("-Dforklift.test.other=1")))).as("another key").isNull();
            final WarmPrelease.Spare first = WarmPrelease.claim(plan(options));
            final WarmPrelease.Spare second = WarmPrelease.claim(plan(options));
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(WarmPrelease.claim(plan(options))).as("only 2 were leased").isNull();
            assertThat(Set.of(first.process().pid(), second.process().pid())).isEqualTo(spares);
            for (final WarmPrelease.Spare spare : List.of(first, second)) {
                final SocketChannel connected = spare.connection().get(30, TimeUnit.SECONDS);
                assertThat(connected.isOpen()).as("spare %d said hello with no spec sent", spare.process().pid())
                    .isTrue();
                spare.discard();
                spare.process().onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aClaimMadeBeforeTheLeaseIsAnsweredWaitsForItAndTakesItsSpares() throws Exception {
        final List<String> options = warmedKey();
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), options).orElseThrow();
        final Set<Long> spares = new HashSet<>(WarmHostClient.sparePids(key));
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, TASK)) {
            // No awaitAnswer: a pool makes its plans while the host answers, and its children claim at once.
            final WarmPrelease.Spare first = WarmPrelease.claim(plan(options));
            final WarmPrelease.Spare second = WarmPrelease.claim(plan(options));
            assertThat(first).as("the first claim waited for the answer").isNotNull();
            assertThat(second).as("the second claim").isNotNull();
            assertThat(Set.of(first.process().pid(), second.process().pid())).isEqualTo(spares);
            for (final WarmPrelease.Spare spare : List.of(first, second)) {
                spare.discard();
                spare.process().onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sparesNoChildTookAreKilledWhenThePreleaseCloses() throws Exception {
        final List<String> options = warmedKey();
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), options).orElseThrow();
        final Set<Long> spares = new HashSet<>(WarmHostClient.sparePids(key));
        final WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, TASK);
        prelease.awaitAnswer();
        prelease.close();
        prelease.close(); // idempotent
        for (final long pid : spares) {
            Await.until(Duration.ofSeconds(30), () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
                () -> "spare " + pid + " killed");
        }
        assertThat(WarmPrelease.claim(plan(options))).isNull();
    }

    @Test
    void nothingIsLeasedWhenTheKeyHasNoHostOrWhenTurnedOff() throws Exception {
        final List<String> noHost = List.of("-Dforklift.test.warmKey=" + UUID.randomUUID());
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), noHost, TASK)) {
            prelease.awaitAnswer();
            assertThat(WarmPrelease.claim(plan(noHost))).isNull();
        }
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), noHost).orElseThrow();
        assertThat(WarmHostClient.socketOf(key)).as("no host started by a prelease").isEmpty();
        final List<String> options = warmedKey();
        System.setProperty(WarmPrelease.ENABLED_PROPERTY, "false");
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, TASK)) {
            prelease.awaitAnswer();
            assertThat(WarmPrelease.claim(plan(options))).isNull();
        } finally {
            System.clearProperty(WarmPrelease.ENABLED_PROPERTY);
        }
    }

    @Test
    void aPoolAdoptsTheLeaseACommandLineMadeEarlyForTheSameWorkersOnce() {
        final List<String> options = List.of("-Dforklift.test.warmKey=" + UUID.randomUUID()); // no host: none leased
        try (WarmPrelease early = WarmPrelease.startEarly(2, classpath(), options, TASK);
             WarmPrelease otherOptions = WarmPrelease.start(2, classpath(), List.of("-Dforklift.test.other=1"), TASK);
             WarmPrelease more = WarmPrelease.start(3, classpath(), options, TASK);
             WarmPrelease adopted = WarmPrelease.start(2, classpath(), options, TASK);
             WarmPrelease second = WarmPrelease.start(2, classpath(), options, TASK)) {
            assertThat(otherOptions).as("other JVM options").isNotSameAs(early);
            assertThat(more).as("more workers than were leased").isNotSameAs(early);
            assertThat(adopted).as("the pool's own lease is the early one").isSameAs(early);
            assertThat(second).as("adopted once only").isNotSameAs(early);
        }
    }
}
