package dev.forklift.process;

import java.io.Serializable;

/**
 * The work a child JVM runs: the body of a {@link ChildProcess}.
 *
 * <p>Give it to {@link ChildProcess#builder(Class)} as a public class with a public no-argument constructor
 * (the child loads and instantiates it by name), or to {@link ChildProcess#builder(ProcessTask)} as a lambda
 * cast to this type (it is {@link Serializable}; everything it captures must be serializable too).
 *
 * <p>{@link #run} is called once, in the child, on the child's main thread. Returning ends the child with exit
 * code 0. Throwing ends it with exit code 1 and sends the exception, with the child's stack trace, to the
 * parent ({@link ChildProcess#failure()}).
 */
@FunctionalInterface
public interface ProcessTask extends Serializable {
    /**
     * Runs the task in the child process.
     *
     * @param context the arguments, identity and progress counter of this child.
     * @throws Exception any failure; it reaches the parent with this process's stack trace.
     */
    void run(TaskContext context) throws Exception;
}
