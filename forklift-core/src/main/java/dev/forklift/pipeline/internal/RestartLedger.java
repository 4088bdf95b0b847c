package dev.forklift.pipeline.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The supervisor's record of producer restarts (single-step pipelines with {@code producerRestarts > 0}): the source
 * each producer announced it reads, the sources finished (read to the end or given up), and the restarts each
 * source got. Every fresh producer started for a source after a producer took it counts as one restart of that
 * source, whether the death was seen after the producer's announcement (a restart by {@link #producerDied}) or
 * before it (a restart by the end-of-run {@link #sweep}).
 *
 * <p>Called by the parent: the supervisor thread, and the run's thread for its last drain of events. Thread-safe;
 * never blocks; throws nothing but {@link IllegalArgumentException} for a source index out of range.
 */
final class RestartLedger {
    private final int sourceCount;
    private final int maxRestarts;
    private final Map<Long, Integer> reading = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private final Set<Long> dead = new HashSet<>();
    private final int[] restarts;
    private final boolean[] taken;

    /**
     * @param sourceCount how many sources the pipeline reads.
     * @param maxRestarts the restarts allowed per source ({@code producerRestarts}).
     */
    RestartLedger(final int sourceCount, final int maxRestarts) {
        this.sourceCount = sourceCount;
        this.maxRestarts = maxRestarts;
        this.restarts = new int[sourceCount];
        this.taken = new boolean[sourceCount];
    }

    /**
     * Producer {@code pid} announced that it took source {@code index} and starts reading it. The announcement of a
     * producer whose death was handled already (it was read after the death) only marks the source taken: the sweep
     * restarts it, counted.
     */
    synchronized void sourceStarted(final long pid, final int index) {
        check(index);
        taken[index] = true;
        if (!dead.contains(pid)) {
            reading.put(pid, index);
        }
    }

    /** Producer {@code pid} read source {@code index} to its end (or gave it up per the error policy). */
    synchronized void sourceDone(final long pid, final int index) {
        check(index);
        finished.add(index);
        reading.remove(pid, index);
    }

    /**
     * Producer {@code pid} died without reporting.
     *
     * @return the source it announced and did not finish, to read again ({@link #chargeRestart} first); -1 if it
     * held none that is unfinished: it was idle, or its announcement is not seen yet (the sweep restarts that one).
     */
    synchronized int producerDied(final long pid) {
        dead.add(pid);
        final Integer held = reading.remove(pid);
        return held == null || finished.contains(held) ? -1 : held;
    }

    /**
     * Counts one restart of source {@code index}.
     *
     * @return true if the policy allows it; false if the source had its restarts: it is then finished (given up).
     */
    synchronized boolean chargeRestart(final int index) {
        check(index);
        if (++restarts[index] > maxRestarts) {
            finished.add(index);
            return false;
        }
        return true;
    }

    /** Source {@code index} is given up for another reason (it cannot be read again): it counts as finished. */
    synchronized void giveUp(final int index) {
        check(index);
        finished.add(index);
    }

    /** @return true once source {@code index} was read to its end or given up. */
    synchronized boolean isFinished(final int index) {
        check(index);
        return finished.contains(index);
    }

    /**
     * The end-of-run sweep, when every producer has exited: each source nobody finished is read by one fresh
     * producer, or given up when it had its restarts. For a source some producer took (announced or not: a producer
     * can die between taking a source and announcing it, and its announcement can be read after its death was
     * handled) the fresh producer is one restart; for a source no producer took, it is the first read.
     *
     * @param neverTaken sources no producer took: left on the first assignment queue when its producers exited.
     * @return the sources to read again (one producer for all), and those given up (now finished).
     */
    synchronized Sweep sweep(final Set<Integer> neverTaken) {
        final List<Integer> toRead = new ArrayList<>();
        final List<Integer> givenUp = new ArrayList<>();
        for (int i = 0; i < sourceCount; i++) {
            if (finished.contains(i)) {
                continue;
            }
            if (!taken[i] && neverTaken.contains(i) || chargeRestart(i)) {
                taken[i] = true;
                toRead.add(i);
            } else {
                givenUp.add(i);
            }
        }
        return new Sweep(List.copyOf(toRead), List.copyOf(givenUp));
    }

    /**
     * What a sweep decided.
     *
     * @param toRead  sources for one fresh producer, in index order; empty if none.
     * @param givenUp sources that had their restarts, in index order.
     */
    record Sweep(List<Integer> toRead, List<Integer> givenUp) {
    }

    private void check(final int index) {
        if (index < 0 || index >= sourceCount) {
            throw new IllegalArgumentException("source index out of range 0.." + (sourceCount - 1) + ": index="
                + index);
        }
    }
}
