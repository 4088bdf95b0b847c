package dev.forklift.pool.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which unfinished tasks of a dead worker are suspects, and when the culprit is known exactly. */
class CrashTriageTest {
    private static final FunctionRef FUNCTION = new FunctionRef(0, new byte[0]);

    private static Job job(final long frame, final boolean isolated, final int count, final int delivered) {
        final Job job = new Job(frame * 100 + count, FUNCTION, new byte[0], count, new Object[count],
            (index, value, error) -> { });
        job.frameSeq = frame;
        job.isolated = isolated;
        job.delivered = delivered;
        return job;
    }

    @Test
    void anIsolatedFirstTaskIsTheOnlySuspect() {
        final List<Job> unfinished = List.of(job(1, true, 1, 0), job(1, false, 1, 0), job(2, false, 1, 0));
        assertThat(CrashTriage.suspects(unfinished)).isEqualTo(1);
        assertThat(CrashTriage.isExact(unfinished, 1)).isTrue();
    }

    @Test
    void tasksSharingTheFirstTasksFrameAreSuspectsUntilAnIsolatedOneOrTheNextFrame() {
        final List<Job> sameFrame = List.of(job(1, false, 1, 0), job(1, false, 1, 0), job(1, true, 1, 0));
        assertThat(CrashTriage.suspects(sameFrame)).isEqualTo(2);
        assertThat(CrashTriage.isExact(sameFrame, 2)).isFalse();
        final List<Job> nextFrame = List.of(job(1, false, 1, 0), job(2, false, 1, 0));
        assertThat(CrashTriage.suspects(nextFrame)).isEqualTo(1);
        assertThat(CrashTriage.isExact(nextFrame, 1)).isTrue();
    }

    @Test
    void aChunkIsExactOnlyWhenOneInputIsLeft() {
        assertThat(CrashTriage.isExact(List.of(job(1, false, 10, 3)), 1)).isFalse();
        assertThat(CrashTriage.isExact(List.of(job(1, false, 10, 9)), 1)).isTrue();
    }
}
