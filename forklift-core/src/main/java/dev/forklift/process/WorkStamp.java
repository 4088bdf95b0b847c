package dev.forklift.process;

/**
 * Which unit of work a child's task is on, and when it said so: what the task last published with
 * {@link TaskContext#workStamp(long)}, as its parent reads it with {@link ChildProcess#workStamp()}. Immutable.
 *
 * @param unit     the unit, a number whose meaning the task and its parent agree on (a pool worker publishes a
 *                 task's id when it starts the task and the id negated once the task's results are written);
 *                 0 when the task has published none.
 * @param nanoTime when the child published it, {@link System#nanoTime()} in the child: the monotonic clock of the
 *                 machine, which a parent on the same machine may compare with its own, with care (a clock of
 *                 another time namespace differs). 0 when {@code unit} is 0.
 */
public record WorkStamp(long unit, long nanoTime) {
    /** No stamp published (yet), or none readable now. */
    public static final WorkStamp NONE = new WorkStamp(0, 0);
}
