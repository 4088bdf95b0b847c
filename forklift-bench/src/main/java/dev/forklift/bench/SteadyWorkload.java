package dev.forklift.bench;

import java.util.List;

/**
 * A workload that runs until closed, at its steady rate, so that a case can sample its throughput in many short
 * windows inside the same JVMs (drift between separate runs then cancels). Started and read from the harness
 * thread; {@link #done()} may be read from any thread and never blocks.
 */
public interface SteadyWorkload extends AutoCloseable {
    /** @return items done so far (messages taken, tasks completed); only grows. */
    long done();

    /** @return the pids of the workload's child processes, whose CPU time counts as the workload's. */
    List<Long> childPids();

    /** Stops the workload and its children; idempotent. */
    @Override
    void close() throws Exception;
}
