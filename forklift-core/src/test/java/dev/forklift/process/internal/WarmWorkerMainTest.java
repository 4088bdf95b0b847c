package dev.forklift.process.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What a warm worker JVM does before it is leased ({@link WarmWorkerMain#warm()}), played in the test JVM. */
class WarmWorkerMainTest {
    /** A task class of the host's hint that rehearses its start. */
    public static final class Rehearsing {
        static final AtomicInteger CALLS = new AtomicInteger();

        /** Called by the warm worker. */
        public static void warmUp() {
            CALLS.incrementAndGet();
        }
    }

    /** A hinted class whose rehearsal fails: warming goes on. */
    public static final class FailingRehearsal {
        /** Throws. */
        public static void warmUp() {
            throw new IllegalStateException("rehearsal failed");
        }
    }

    @AfterEach
    void clearHint() {
        System.clearProperty(WarmWorkerMain.PRELOAD_PROPERTY);
    }

    @Test
    void theHintedTaskClassesRehearseTheirStartAndAFailingOrMissingOneIsSkipped() {
        System.setProperty(WarmWorkerMain.PRELOAD_PROPERTY, FailingRehearsal.class.getName() + ",no.such.Task,"
            + Rehearsing.class.getName());
        final int before = Rehearsing.CALLS.get();
        WarmWorkerMain.warm();
        assertThat(Rehearsing.CALLS.get()).isEqualTo(before + 1);
    }

    @Test
    void theWaitForAQuietCompilerEndsAtItsLimitWhenTheCompilerNeverStaysQuietLongEnough() {
        final long start = System.nanoTime();
        assertThat(WarmWorkerMain.awaitCompilerQuiet(60_000, 300)).isFalse();
        final long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isGreaterThanOrEqualTo(300).isLessThan(30_000);
    }

    @Test
    void theWaitEndsOnceTheCompilerWasQuietForTheGivenTime() {
        assertThat(WarmWorkerMain.awaitCompilerQuiet(1, 30_000)).isTrue();
    }
}
