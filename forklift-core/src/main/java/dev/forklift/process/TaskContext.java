package dev.forklift.process;

import dev.forklift.queue.Queue;

import java.util.List;

/**
 * What a {@link ProcessTask} knows about the child it runs in: its arguments, its identity and its progress.
 *
 * <p>Only meaningful inside the child process; its methods are thread-safe and never block.
 */
public interface TaskContext {
    /** @return the name the parent gave this child. */
    String name();

    /** @return the role the parent gave this child (shown in process tables), such as {@code producer}. */
    String role();

    /** @return the pid of this child process. */
    long pid();

    /** @return the pid of the parent that started this child. */
    long parentPid();

    /** @return the arguments the parent passed, in order; queues among them are attached and ready. */
    List<Object> args();

    /**
     * One argument, cast to the expected type.
     *
     * @param index the position of the argument.
     * @param type  the expected type.
     * @param <A>   the expected type.
     * @return the argument.
     * @throws IllegalArgumentException if there is no such argument or it has another type; the message names
     *                                  the index, the expected and the actual type.
     */
    <A> A arg(int index, Class<A> type);

    /**
     * One argument that is a queue, typed without an unchecked cast: {@code Queue<String> lines =
     * context.queueArg(0, String.class)}.
     *
     * @param index       the position of the argument.
     * @param elementType the type of the queue's items, exactly as the parent built it with.
     * @param <T>         the type of the items.
     * @return the queue, attached and ready.
     * @throws IllegalArgumentException if there is no such argument, it is not a queue, or its items are of
     *                                  another type; the message names the index and both types.
     */
    default <T> Queue<T> queueArg(final int index, final Class<T> elementType) {
        final Queue<?> queue = arg(index, Queue.class);
        if (queue == null) {
            throw new IllegalArgumentException("argument " + index + " is null, not a queue of "
                + elementType.getName());
        }
        if (!queue.elementType().equals(elementType)) {
            throw new IllegalArgumentException("argument " + index + " is a queue of " + queue.elementType().getName()
                + ", not of " + elementType.getName());
        }
        @SuppressWarnings("unchecked")
        final Queue<T> typed = (Queue<T>) queue;
        return typed;
    }

    /**
     * Adds to this child's count of items done, which the parent and {@code forklift ps} show.
     *
     * @param items the number of items just finished; not negative.
     */
    void addItemsDone(long items);

    /** @return this child's count of items done so far. */
    long itemsDone();

    /**
     * Sets the free-text state shown in process tables (at most 15 characters are kept), such as {@code draining}.
     *
     * @param state the new state.
     */
    void state(String state);

    /**
     * Publishes in this child's status row which unit of work the task is on now, stamped with this child's
     * {@link System#nanoTime()}; the parent reads both with {@link ChildProcess#workStamp()}, for example to time
     * each unit from its real start rather than from when its results arrive. The last call wins. Never blocks.
     *
     * @param unit the unit, any number but 0, whose meaning the task and its parent agree on.
     * @throws IllegalArgumentException if {@code unit} is 0 (it means "none").
     */
    void workStamp(long unit);

    /**
     * {@link #workStamp(long)} with a clock reading the caller already took, so that a loop that stamps the end of
     * one unit and the start of the next reads the clock once for both.
     *
     * @param unit     the unit, any number but 0.
     * @param nanoTime this child's {@link System#nanoTime()}, read just now.
     * @throws IllegalArgumentException if {@code unit} is 0 (it means "none").
     */
    default void workStamp(final long unit, final long nanoTime) {
        workStamp(unit);
    }
}
