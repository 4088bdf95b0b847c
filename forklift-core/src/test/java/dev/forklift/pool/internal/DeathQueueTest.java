package dev.forklift.pool.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker's exit becomes ready only once the result stream was read past the mark taken at the exit. */
class DeathQueueTest {
    @Test
    void anExitIsReadyOnlyOnceTheResultsWereReadPastItsMarkWhateverPollsFoundMeanwhile() {
        final DeathQueue deaths = new DeathQueue();
        final WorkerState first = new WorkerState(1, null);
        final WorkerState second = new WorkerState(2, null);
        deaths.exited(first, 10);
        deaths.exited(second, 12);
        // Polls that find nothing (a torn slot at the head) leave the head where it is: nothing is ready.
        assertThat(deaths.ready(mark -> 9 >= mark)).isEmpty();
        assertThat(deaths.waiting()).isEqualTo(2);
        assertThat(deaths.ready(mark -> 10 >= mark)).containsExactly(first);
        assertThat(deaths.ready(mark -> 11 >= mark)).isEmpty();
        assertThat(deaths.ready(mark -> 12 >= mark)).containsExactly(second);
        assertThat(deaths.waiting()).isZero();
    }
}
