package dev.forklift.process.internal;

import dev.forklift.process.ChildOutput;
import dev.forklift.shm.SharedMemoryDirectory;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm host's spare policy with real spare JVMs: a lease made while the host's spares are still warming gets
 * them (each once, never one that died), unless turned off; after a lease the host keeps one spare more than it.
 * The spares of the hosts of the warming tests rehearse {@link WarmsUntilLeased}, so they stay warming until leased.
 */
@ProcessDeadline(seconds = 120)
class WarmHostMainTest {
    private static final Duration HOST_WARM = Duration.ofSeconds(60);
    private static final String TASK = WarmsUntilLeased.class.getName();
    private static final List<String> KEYS = new ArrayList<>();

    @AfterEach
    void clearSwitch() {
        System.clearProperty(WarmHostMain.LEASE_BOOTING_PROPERTY);
        System.clearProperty(WarmHostMain.SPARE_BEYOND_LEASE_PROPERTY);
    }

    @AfterAll
    static void stopHosts() {
        KEYS.forEach(WarmHostClient::stopHost);
    }

    private static String classpath() {
        return System.getProperty("java.class.path");
    }

    private static LaunchPlan plan(final List<String> options) {
        return new LaunchPlan("warming-child", "worker", TASK, null, new byte[0], Set.of(), options, Map.of(),
            Map.of(), classpath(), Duration.ofSeconds(30), ChildOutput.discard(), true, true);
    }

    /**
     * Starts a host of a key of this test's own whose spares stay warming, and waits until it has started 2.
     *
     * @return the pids of its 2 spares, none of them ready.
     */
    private static Set<Long> warmingSpares(final List<String> options) {
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), options).orElseThrow();
        KEYS.add(key);
        assertThat(WarmHostClient.warmUp(classpath(), options, 2, Duration.ofMillis(1), TASK)).as("none ready")
            .isFalse();
        Await.until(HOST_WARM, () -> WarmHostClient.socketOf(key).isPresent(), () -> "the host of " + key);
        final Path socket = WarmHostClient.socketOf(key).orElseThrow();
        final ProcessHandle host = ProcessHandle.of(SharedMemoryDirectory.ownerPid(socket).orElseThrow())
            .orElseThrow();
        Await.until(HOST_WARM, () -> sparesOf(host).size() >= 2, () -> "2 spares started by host " + host.pid());
        assertThat(WarmHostClient.sparePids(key)).as("no spare is ready: they warm until leased").isEmpty();
        return sparesOf(host);
    }

    private static Set<Long> sparesOf(final ProcessHandle host) {
        return host.children().filter(child -> child.info().arguments().map(List::of).orElse(List.of())
            .contains("-Dforklift.role=warm")).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static List<String> ownKey() {
        return List.of("-Dforklift.test.warmKey=" + UUID.randomUUID());
    }

    @Test
    void leasesMadeWhileTheSparesStillWarmGetThemEachOnceAndTheyConnectBack() throws Exception {
        final List<String> options = ownKey();
        final Set<Long> warming = warmingSpares(options);
        try (WarmPrelease first = WarmPrelease.start(1, classpath(), options, TASK);
             WarmPrelease second = WarmPrelease.start(1, classpath(), options, TASK)) {
            first.awaitAnswer();
            second.awaitAnswer();
            final WarmPrelease.Spare one = WarmPrelease.claim(plan(options));
            final WarmPrelease.Spare other = WarmPrelease.claim(plan(options));
            assertThat(one).as("the first lease got a spare still warming").isNotNull();
            assertThat(other).as("the second lease got the other").isNotNull();
            assertThat(Set.of(one.process().pid(), other.process().pid())).isEqualTo(warming);
            for (final WarmPrelease.Spare spare : List.of(one, other)) {
                final SocketChannel connected = spare.connection().get(30, TimeUnit.SECONDS);
                assertThat(connected.isOpen()).as("spare %d stopped warming and said hello", spare.process().pid())
                    .isTrue();
            }
            try (WarmPrelease third = WarmPrelease.start(1, classpath(), options, TASK)) {
                third.awaitAnswer();
                final WarmPrelease.Spare later = WarmPrelease.claim(plan(options));
                if (later != null) { // a replacement, if the host started one meanwhile
                    assertThat(warming).as("a worker handed out twice").doesNotContain(later.process().pid());
                    later.discard();
                }
            }
            for (final WarmPrelease.Spare spare : List.of(one, other)) {
                spare.discard();
                spare.process().onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aSpareThatDiedWhileWarmingIsNotLeased() throws Exception {
        final List<String> options = ownKey();
        final Set<Long> warming = warmingSpares(options);
        final long dead = warming.iterator().next();
        final ProcessHandle victim = ProcessHandle.of(dead).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().get(30, TimeUnit.SECONDS);
        final Set<Long> alive = new HashSet<>(warming);
        alive.remove(dead);
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, TASK)) {
            prelease.awaitAnswer();
            final Set<Long> leased = new HashSet<>();
            WarmPrelease.Spare spare;
            while ((spare = WarmPrelease.claim(plan(options))) != null) {
                leased.add(spare.process().pid());
                spare.discard();
            }
            assertThat(leased).as("the live one, and no dead one").containsAll(alive).doesNotContain(dead);
        }
    }

    @Test
    void afterALeaseOfTwoTheHostKeepsThreeSpares() throws Exception {
        final List<String> options = ownKey();
        final String key = WarmHostClient.key(Launcher.javaBinary(), classpath(), options).orElseThrow();
        KEYS.add(key);
        final String task = "dev.forklift.pool.internal.WorkerMain";
        assertThat(WarmHostClient.warmUp(classpath(), options, 2, HOST_WARM, task)).isTrue();
        final Set<Long> first = new HashSet<>(WarmHostClient.sparePids(key));
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, task)) {
            prelease.awaitAnswer();
            WarmPrelease.Spare spare;
            while ((spare = WarmPrelease.claim(plan(options))) != null) {
                assertThat(first).contains(spare.process().pid());
                spare.discard();
            }
        }
        Await.until(HOST_WARM, () -> WarmHostClient.sparePids(key).size() == 3,
            () -> "3 spares after a lease of 2: " + WarmHostClient.sparePids(key));
        assertThat(WarmHostClient.sparePids(key)).doesNotContainAnyElementsOf(first);
    }

    @Test
    void turnedOffALeaseGetsNoSpareStillWarming() throws Exception {
        System.setProperty(WarmHostMain.LEASE_BOOTING_PROPERTY, "false"); // passed on to the host the client starts
        final List<String> options = ownKey();
        warmingSpares(options);
        try (WarmPrelease prelease = WarmPrelease.start(2, classpath(), options, TASK)) {
            prelease.awaitAnswer();
            assertThat(WarmPrelease.claim(plan(options))).isNull();
        }
    }
}
