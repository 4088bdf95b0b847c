package dev.forklift.queue.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stall watch of a queue, on a clock of the test's choosing. */
class StallWatchTest {
    private static final long MS = 1_000_000L;

    @Test
    void aSlotSeenHeldCountsFromTheFirstLookThatSawItHeldHoweverSeldomTheLooks() {
        final StallWatch watch = new StallWatch();
        assertThat(watch.checkDue(7, 0)).as("first look at a position").isTrue();
        // The first look found the slot not yet claimed: nothing counts yet.
        assertThat(watch.checkDue(7, 50 * MS)).as("within 100 ms of the last look").isFalse();
        assertThat(watch.checkDue(7, 150 * MS)).isTrue();
        assertThat(watch.heldForNs(7, 150 * MS)).as("first look that saw it held").isZero();
        // A caller that looks every 5 s: the stall is not forgotten between looks.
        assertThat(watch.checkDue(7, 5_150 * MS)).isTrue();
        assertThat(watch.heldForNs(7, 5_150 * MS)).isEqualTo(5_000 * MS);
        assertThat(watch.checkDue(7, 20_150 * MS)).isTrue();
        assertThat(watch.heldForNs(7, 20_150 * MS)).isEqualTo(20_000 * MS);
    }

    @Test
    void aNewPositionStartsAgainAndAWaiterBehindItIsIgnored() {
        final StallWatch watch = new StallWatch();
        watch.checkDue(7, 0);
        watch.heldForNs(7, 0);
        assertThat(watch.checkDue(8, 1_000 * MS)).as("the head moved on").isTrue();
        assertThat(watch.heldForNs(8, 1_000 * MS)).isZero();
        assertThat(watch.checkDue(7, 2_000 * MS)).as("a thread that read the old head").isFalse();
        assertThat(watch.checkDue(8, 2_000 * MS)).isTrue();
        assertThat(watch.heldForNs(8, 2_000 * MS)).isEqualTo(1_000 * MS);
    }
}
