package dev.forklift.process.internal;

/**
 * A task class whose own start work belongs before the child reports ready: {@link ChildMain} calls
 * {@link #beforeReady} on the child's main thread, once, after decoding the task and its arguments and before
 * sending ready; what it throws fails the child's start ({@code ChildStartException}) as an argument that cannot be
 * decoded does. The pool's worker attaches the queues named in its binary arguments there. Internal; not API.
 */
public interface PreparesBeforeReady {
    /**
     * @param args the task's decoded arguments.
     * @throws Exception if the task cannot start with them.
     */
    void beforeReady(Object[] args) throws Exception;
}
