package dev.forklift.pipeline.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The supervisor's bookkeeping of restarts, fed the orders in which a producer's death and its events can reach
 * the parent: a policy of N restarts gives a source exactly N fresh producers after the one that took it first,
 * whether each death was seen after the producer's announcement, before it, or without it.
 */
class RestartLedgerTest {
    private static final long FIRST = 101;
    private static final long SECOND = 102;
    private static final long THIRD = 103;
    private static final long FOURTH = 104;

    @Test
    void aDeathSeenAfterTheAnnouncementRestartsTheSourceUpToThePolicy() {
        final RestartLedger ledger = new RestartLedger(2, 1);
        ledger.sourceStarted(FIRST, 0);
        ledger.sourceDone(FIRST, 0);
        ledger.sourceStarted(FIRST, 1);
        assertThat(ledger.producerDied(FIRST)).isEqualTo(1);
        assertThat(ledger.chargeRestart(1)).as("restart 1 of 1").isTrue();
        ledger.sourceStarted(SECOND, 1);
        assertThat(ledger.producerDied(SECOND)).isEqualTo(1);
        assertThat(ledger.chargeRestart(1)).as("restart 2 of 1").isFalse();
        assertThat(ledger.isFinished(1)).isTrue();
        assertThat(ledger.sweep(Set.of())).isEqualTo(new RestartLedger.Sweep(List.of(), List.of()));
    }

    @Test
    void aDeathSeenBeforeTheAnnouncementItFollowedCountsTheSweepsProducerAsTheRestart() {
        final RestartLedger ledger = new RestartLedger(2, 1);
        ledger.sourceStarted(FIRST, 0);
        ledger.sourceDone(FIRST, 0);
        assertThat(ledger.producerDied(FIRST)).as("its announcement of source 1 not seen yet").isEqualTo(-1);
        ledger.sourceStarted(FIRST, 1); // the announcement, read after the death was handled
        assertThat(ledger.sweep(Set.of())).as("restart 1 of 1, by the sweep")
            .isEqualTo(new RestartLedger.Sweep(List.of(1), List.of()));
        ledger.sourceStarted(SECOND, 1);
        assertThat(ledger.producerDied(SECOND)).isEqualTo(1);
        assertThat(ledger.chargeRestart(1)).as("restart 2 of 1").isFalse();
        assertThat(ledger.sweep(Set.of())).isEqualTo(new RestartLedger.Sweep(List.of(), List.of()));
    }

    @Test
    void aProducerDeadBeforeAnnouncingWhatItTookCountsTheSweepsProducerAsTheRestart() {
        final RestartLedger ledger = new RestartLedger(2, 1);
        ledger.sourceStarted(FIRST, 0);
        ledger.sourceDone(FIRST, 0);
        assertThat(ledger.producerDied(FIRST)).as("it took source 1 and died before announcing it").isEqualTo(-1);
        assertThat(ledger.sweep(Set.of())).as("restart 1 of 1").isEqualTo(new RestartLedger.Sweep(List.of(1),
            List.of()));
        ledger.sourceStarted(SECOND, 1);
        assertThat(ledger.producerDied(SECOND)).isEqualTo(1);
        assertThat(ledger.chargeRestart(1)).as("restart 2 of 1").isFalse();
    }

    @Test
    void aRestartedProducerDeadBeforeAnnouncingLeavesTheSweepNoRestartBeyondThePolicy() {
        final RestartLedger ledger = new RestartLedger(1, 1);
        ledger.sourceStarted(FIRST, 0);
        assertThat(ledger.producerDied(FIRST)).isEqualTo(0);
        assertThat(ledger.chargeRestart(0)).as("restart 1 of 1").isTrue();
        assertThat(ledger.producerDied(SECOND)).as("it died before announcing source 0").isEqualTo(-1);
        assertThat(ledger.sweep(Set.of())).as("restart 2 of 1: given up")
            .isEqualTo(new RestartLedger.Sweep(List.of(), List.of(0)));
        assertThat(ledger.isFinished(0)).isTrue();
    }

    @Test
    void sweepsEachCountPerSourceUpToThePolicy() {
        final RestartLedger ledger = new RestartLedger(1, 2);
        for (final long pid : new long[] {FIRST, SECOND}) {
            assertThat(ledger.producerDied(pid)).isEqualTo(-1);
            assertThat(ledger.sweep(Set.of()).toRead()).containsExactly(0);
        }
        assertThat(ledger.producerDied(THIRD)).isEqualTo(-1);
        assertThat(ledger.sweep(Set.of())).isEqualTo(new RestartLedger.Sweep(List.of(), List.of(0)));
    }

    @Test
    void aSourceNoProducerTookGetsItsFirstReadAndThenAllItsRestarts() {
        final RestartLedger ledger = new RestartLedger(2, 1);
        ledger.sourceStarted(FIRST, 0);
        assertThat(ledger.producerDied(FIRST)).isEqualTo(0);
        assertThat(ledger.chargeRestart(0)).isTrue();
        ledger.sourceStarted(SECOND, 0);
        ledger.sourceDone(SECOND, 0);
        // Source 1 was still on the first assignment queue when its only producer died.
        assertThat(ledger.sweep(Set.of(1))).as("its first read, no restart")
            .isEqualTo(new RestartLedger.Sweep(List.of(1), List.of()));
        ledger.sourceStarted(THIRD, 1);
        assertThat(ledger.producerDied(THIRD)).isEqualTo(1);
        assertThat(ledger.chargeRestart(1)).as("restart 1 of 1").isTrue();
        ledger.sourceStarted(FOURTH, 1);
        assertThat(ledger.producerDied(FOURTH)).isEqualTo(1);
        assertThat(ledger.chargeRestart(1)).as("restart 2 of 1").isFalse();
    }

    @Test
    void aLateAnnouncementOfADeadProducerDoesNotMakeItsSourceLookHeldAgain() {
        final RestartLedger ledger = new RestartLedger(1, 3);
        assertThat(ledger.producerDied(FIRST)).isEqualTo(-1);
        ledger.sourceStarted(FIRST, 0);
        assertThat(ledger.sweep(Set.of()).toRead()).containsExactly(0);
        assertThat(ledger.producerDied(FIRST)).as("its death was handled once").isEqualTo(-1);
    }

    @Test
    void aSourceIndexOutOfRangeFailsNamingIt() {
        final RestartLedger ledger = new RestartLedger(2, 1);
        assertThatThrownBy(() -> ledger.sourceStarted(FIRST, 2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("index=2");
        assertThatThrownBy(() -> ledger.chargeRestart(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("index=-1");
    }
}
