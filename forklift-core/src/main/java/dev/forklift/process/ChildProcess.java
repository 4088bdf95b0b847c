package dev.forklift.process;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A child JVM started by this process to run one {@link ProcessTask}: the handle the parent keeps.
 *
 * <pre>{@code
 * try (Queue<String> queue = Queue.create(String.class);
 *      ChildProcess producer = ChildProcess.builder(Producer.class).role("producer").args(queue).start();
 *      ChildProcess consumer = ChildProcess.builder(Consumer.class).role("consumer").args(queue).start()) {
 *     producer.joinAndCheck(Duration.ofMinutes(1));
 *     queue.close();                                   // consumers drain, then see end-of-stream
 *     consumer.joinAndCheck(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link ChildProcessBuilder#start()} returns once the child JVM runs, has attached the queues among
 * its arguments and has loaded its task. The child exits by itself within about two seconds when this (parent)
 * process dies, however it dies. Its standard output and error reach this process line by line, prefixed with
 * {@code [name pid]}.
 *
 * <p>Only the process that started the child holds this handle. All methods are thread-safe; only the
 * {@code join} and {@code terminate} methods block, each for at most the time given.
 */
public interface ChildProcess extends AutoCloseable, dev.forklift.sync.Waitable {
    /** Time {@link #close()} and {@link #terminate()} give a child to stop after SIGTERM before killing it. */
    Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(5);

    /**
     * A builder for a child that runs the given task class.
     *
     * @param taskClass a public class with a public no-argument constructor.
     * @return a new builder.
     */
    static ChildProcessBuilder builder(final Class<? extends ProcessTask> taskClass) {
        return ChildProcessBuilder.forClassName(taskClass.getName());
    }

    /**
     * A builder for a child that runs the task class with the given name, loaded in the child.
     *
     * @param taskClassName the binary name of a public class with a public no-argument constructor.
     * @return a new builder.
     */
    static ChildProcessBuilder builder(final String taskClassName) {
        return ChildProcessBuilder.forClassName(taskClassName);
    }

    /**
     * A builder for a child that runs the given task object, typically a lambda.
     *
     * @param task the task; it and everything it captures must be serializable.
     * @return a new builder.
     */
    static ChildProcessBuilder builder(final ProcessTask task) {
        return ChildProcessBuilder.forTask(task);
    }

    /** @return the operating-system pid of the child. */
    long pid();

    /** @return the name of the child (defaults to its role and a number). */
    String name();

    /** @return the role of the child, such as {@code producer}. */
    String role();

    /** @return true while the child process runs. */
    boolean isAlive();

    /** @return true once the child has exited: what {@link dev.forklift.sync.Readiness#await} waits for. */
    @Override
    default boolean isReady() {
        return !isAlive();
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout the longest time to wait.
     * @return true if the child has exited, false if the timeout passed first.
     * @throws InterruptedException if the waiting thread is interrupted.
     */
    boolean join(Duration timeout) throws InterruptedException;

    /**
     * Waits for the child to exit and checks that its task succeeded.
     *
     * @param timeout the longest time to wait.
     * @return the exit status, which is a success.
     * @throws ChildFailedException         if the task threw (the cause carries the child's stack trace), the
     *                                      process exited with a non-zero code, or a signal killed it.
     * @throws java.util.concurrent.TimeoutException if the child is still running when the timeout passes.
     * @throws InterruptedException         if the waiting thread is interrupted.
     */
    ExitStatus joinAndCheck(Duration timeout) throws java.util.concurrent.TimeoutException, InterruptedException;

    /** @return how the child ended, or empty while it runs. */
    Optional<ExitStatus> exitStatus();

    /**
     * @return the exit code of the child.
     * @throws IllegalStateException if the child still runs.
     */
    int exitCode();

    /** @return the signal that killed the child, if one did; empty while it runs. */
    OptionalInt signal();

    /** @return the exception that ended the child's task, with the child's stack trace; empty while it runs. */
    Optional<RemoteTaskException> failure();

    /** @return a future completed with the exit status when the child exits. */
    CompletableFuture<ExitStatus> onExit();

    /** @return the child's count of items done, as reported by its task ({@link TaskContext#addItemsDone}). */
    long itemsDone();

    /**
     * The time of the child's last heartbeat, as written by the child itself about every 200 ms from a daemon
     * thread of its own (independent of the task's threads), on the child's clock. A value that stops changing
     * while the child is alive means the whole child JVM stopped running: stopped by a signal, frozen, or stalled
     * in a very long pause. Compare successive values rather than with this process's clock. Never blocks.
     *
     * @return the epoch ms of the last heartbeat, or of the launch before the child wrote its first one.
     */
    long lastHeartbeatEpochMs();

    /**
     * The unit of work the child's task last published ({@link TaskContext#workStamp(long)}) and when, read
     * consistently (never the unit of one call with the time of another). Never blocks.
     *
     * @return the stamp; {@link WorkStamp#NONE} before the first, after the child exited, or while the child is
     *         rewriting it.
     */
    WorkStamp workStamp();

    /** @return the child's free-text state ({@code starting}, {@code running}, a task-set state, {@code exited}). */
    String state();

    /**
     * Stops the child gracefully (SIGTERM, so its shutdown hooks run), and kills it if it is still alive after
     * the grace period. Returns once the child is gone. Idempotent.
     *
     * @param grace the time the child gets to stop by itself.
     */
    void terminate(Duration grace);

    /** {@link #terminate(Duration)} with {@link #DEFAULT_TERMINATE_GRACE}. */
    default void terminate() {
        terminate(DEFAULT_TERMINATE_GRACE);
    }

    /** Kills the child at once (SIGKILL) and waits until it is gone. Idempotent. */
    void kill();

    /**
     * Kills the child at once (SIGKILL) without waiting. The signal goes through the handle of the process that was
     * started, never by pid: once the child has exited and been reaped, its pid may belong to an unrelated process,
     * and nothing is signalled then. Idempotent; never blocks.
     */
    void killNow();

    /** Terminates the child if it still runs ({@link #terminate()}); returns at once otherwise. */
    @Override
    void close();
}
