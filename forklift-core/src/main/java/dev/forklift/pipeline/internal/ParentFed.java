package dev.forklift.pipeline.internal;

/**
 * A source whose data only the parent can read (standard input): the parent starts feeding it before the
 * producers start, and stops when the pipeline ends.
 */
public interface ParentFed {
    /** Called in the parent before the processes start: creates what the producer will read from. */
    void prepare();

    /** Called in the parent once every process has started (and attached): starts feeding. */
    void startFeeding();

    /** Called in the parent when the pipeline ends; idempotent, returns within a second. */
    void stopFeeding();
}
