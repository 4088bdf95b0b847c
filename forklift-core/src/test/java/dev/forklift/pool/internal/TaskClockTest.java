package dev.forklift.pool.internal;

import dev.forklift.process.WorkStamp;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which task a worker runs, from its work stamp, and from when it is timed. */
class TaskClockTest {
    private static final FunctionRef FUNCTION = new FunctionRef(0, new byte[0]);

    private final Map<Long, Job> running = new HashMap<>();
    private final WorkerState worker = new WorkerState(1, null);

    private Job sent(final long id, final long dispatchedNs) {
        final Job job = new Job(id, FUNCTION, new byte[0], 1, new Object[1], (index, value, error) -> { });
        job.worker = worker;
        job.dispatchedNs = dispatchedNs;
        worker.jobs.addLast(job);
        running.put(id, job);
        return job;
    }

    @Test
    void aTaskIsTimedFromItsStartInTheWorkerNotFromWhenTheResultBeforeItArrived() {
        final Job first = sent(1, 1_000);
        final Job second = sent(2, 1_000);
        // The first task is done in the worker (its result waits in the queue); the second started at 5,000.
        assertThat(TaskClock.runningTask(worker, new WorkStamp(2, 5_000), running, 9_000)).isSameAs(second);
        assertThat(second.startedNs).isEqualTo(5_000);
        assertThat(first.startSeen).isFalse();
        // Seen once, the start is kept.
        assertThat(TaskClock.runningTask(worker, new WorkStamp(2, 7_000), running, 10_000).startedNs)
            .isEqualTo(5_000);
    }

    @Test
    void aWorkerBetweenTasksOrSendingResultsRunsNoneOfItsTasks() {
        sent(1, 1_000);
        assertThat(TaskClock.runningTask(worker, new WorkStamp(-1, 5_000), running, 9_000)).isNull();
        assertThat(TaskClock.runningTask(worker, WorkStamp.NONE, running, 9_000)).isNull();
        // A task the master no longer runs on this worker (finished, or given up on) is not timed either.
        assertThat(TaskClock.runningTask(worker, new WorkStamp(42, 5_000), running, 9_000)).isNull();
        final Job elsewhere = sent(3, 1_000);
        elsewhere.worker = new WorkerState(2, null);
        assertThat(TaskClock.runningTask(worker, new WorkStamp(3, 5_000), running, 9_000)).isNull();
    }

    @Test
    void aStampOutsideDispatchToNowIsKeptWithinIt() {
        final Job early = sent(1, 4_000);
        assertThat(TaskClock.runningTask(worker, new WorkStamp(1, 3_000), running, 9_000)).isSameAs(early);
        assertThat(early.startedNs).isEqualTo(4_000);
        running.clear();
        worker.jobs.clear();
        final Job future = sent(2, 4_000);
        assertThat(TaskClock.runningTask(worker, new WorkStamp(2, 20_000), running, 9_000)).isSameAs(future);
        assertThat(future.startedNs).isEqualTo(9_000);
    }

    @Test
    void whileTheInitializerRunsTheFirstTaskSentIsTimedFromItsDispatch() {
        final Job first = sent(1, 4_000);
        sent(2, 4_000);
        assertThat(TaskClock.runningTask(worker, new WorkStamp(TaskClock.INITIALIZING, 2_000), running, 9_000))
            .isSameAs(first);
        assertThat(first.startedNs).isEqualTo(4_000);
    }
}
