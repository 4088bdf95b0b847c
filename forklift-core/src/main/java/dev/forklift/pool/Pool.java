package dev.forklift.pool;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of worker JVMs that run functions on inputs: Python's {@code multiprocessing.Pool} and
 * {@code ProcessPoolExecutor} for the JVM. This process is the master: it assigns tasks to workers, keeps each
 * task's attempts, and collects results.
 *
 * <pre>{@code
 * try (Pool pool = Pool.builder().workers(4).taskTimeout(Duration.ofSeconds(30)).build()) {
 *     CompletableFuture<Integer> one = pool.submit((Integer x) -> x * x, 7);
 *     List<Integer> squares = pool.map((Integer x) -> x * x, List.of(1, 2, 3));
 *     for (Iterator<String> it = pool.imapUnordered(Parser::parse, lines); it.hasNext(); ) { ... }
 * }
 * }</pre>
 *
 * <p><b>Functions</b> are {@link SerializableFunction}s (lambdas or classes on the workers' class path, see
 * {@link PoolFunctions#byClassName}); a function is sent to each worker once, then only inputs. Inputs and
 * results travel through the pool's codec: fast paths for strings, bytes and primitive boxes, allow-listed Java
 * serialization for the rest ({@link PoolBuilder#allow}).
 *
 * <p><b>Faults.</b> A worker that dies during a task (signal, {@code System.exit}, fatal error) costs only that
 * task's attempt: the task runs again on a fresh worker up to the {@link RetryPolicy}'s limit, then fails with
 * {@link WorkerCrashedException}; every other task goes on. A task over the {@link PoolBuilder#taskTimeout} has its
 * worker killed and replaced and fails with {@link TaskTimeoutException}. A function that throws fails its task
 * with a {@link dev.forklift.process.RemoteTaskException} carrying the worker's stack trace. An input or result that
 * cannot be encoded or decoded fails only its task ({@link dev.forklift.codec.CodecException}). A result from an
 * attempt the pool has given up on is discarded. Delivery is at least once: a task may run again after a crash.
 * A worker whose heartbeat stops (stopped, frozen) for {@link PoolBuilder#heartbeatTimeout} is killed, and its task
 * treated as a crash. A worker whose resident set grows past {@link PoolBuilder#maxRssPerWorker} is recycled after
 * its task. Every input that ends in failure leaves a {@link FailedTask} record ({@link #failedTasks()}).
 *
 * <p><b>Threads.</b> Every method may be called from any thread of the parent. {@code submit} never blocks;
 * {@code map} blocks until every result is in; iterators block in {@code hasNext}/{@code next} and pull inputs
 * lazily, keeping at most {@link PoolBuilder#inFlightWindow} inputs in flight. Futures complete on a pool
 * thread: keep dependent callbacks short, or use the {@code *Async} variants.
 *
 * <p><b>Lifecycle.</b> {@link #close()} drains (waits for every accepted task, up to the close timeout) and stops
 * the workers; {@link #shutdownNow(Duration)} stops at once and returns what did not finish. Workers also go when
 * this JVM exits (shutdown hook, also on Ctrl-C) or dies (they exit by themselves within about two seconds).
 */
public interface Pool extends AutoCloseable {
    /** @return a builder with the defaults: one worker per core, 3 attempts for crashes, no timeout. */
    static PoolBuilder builder() {
        return new PoolBuilder();
    }

    /**
     * Runs {@code fn(arg)} in a worker.
     *
     * @param fn  the function.
     * @param arg its input, may be null.
     * @param <T> the input type.
     * @param <R> the result type.
     * @return a future completed with the result, or exceptionally as described in the class comment.
     * @throws java.util.concurrent.RejectedExecutionException if the pool is closed or closing.
     * @throws dev.forklift.process.TaskNotSerializableException if {@code fn} cannot be serialized.
     */
    <T, R> CompletableFuture<R> submit(SerializableFunction<T, R> fn, T arg);

    /**
     * Runs {@code fn(a, b)} in a worker: the multi-argument form of {@link #submit(SerializableFunction, Object)}.
     *
     * @param fn  the function.
     * @param a   its first argument.
     * @param b   its second argument.
     * @param <A> the first argument type.
     * @param <B> the second argument type.
     * @param <R> the result type.
     * @return a future completed with the result.
     */
    <A, B, R> CompletableFuture<R> submit(SerializableBiFunction<A, B, R> fn, A a, B b);

    /**
     * Runs a task without arguments in a worker (Python's {@code apply_async(fn)}).
     *
     * @param fn  the task.
     * @param <R> the result type.
     * @return a future completed with the result. Its {@code cancel(true)} stops the task where it runs: the
     *     worker is killed and replaced (other tasks it held are re-sent without charge); {@code cancel(false)}
     *     only keeps a task that has not started from starting.
     * @throws java.util.concurrent.RejectedExecutionException if the pool is closed or closing.
     */
    <R> CompletableFuture<R> submit(SerializableCallable<R> fn);

    /**
     * Runs {@code fn(a, b, c)} in a worker.
     *
     * @param fn  the function.
     * @param a   its first argument.
     * @param b   its second argument.
     * @param c   its third argument.
     * @param <A> the first argument type.
     * @param <B> the second argument type.
     * @param <C> the third argument type.
     * @param <R> the result type.
     * @return a future completed with the result; cancellable as {@link #submit(SerializableCallable)}'s.
     */
    <A, B, C, R> CompletableFuture<R> submit(SerializableTriFunction<A, B, C, R> fn, A a, B b, C c);

    /**
     * Runs {@code fn(args)} in a worker, for any number of arguments; each argument travels through the pool's
     * codec as an input does.
     *
     * @param fn   the function; it gets a new array holding the arguments.
     * @param args the arguments, any number, each may be null.
     * @param <R>  the result type.
     * @return a future completed with the result; cancellable as {@link #submit(SerializableCallable)}'s.
     */
    <R> CompletableFuture<R> submitArgs(SerializableArgsFunction<R> fn, Object... args);

    /**
     * As {@link #map(SerializableFunction, Iterable)}, failing when not every result is in within the timeout
     * (Python's {@code map_async(...).get(timeout)}).
     *
     * @param fn      the function.
     * @param inputs  the inputs.
     * @param timeout the longest the whole call may take.
     * @param <T>     the input type.
     * @param <R>     the result type.
     * @return the results, in input order.
     * @throws MapTimeoutException if the timeout passed first: inputs not yet sent are never read, results still
     *                             to come are dropped, tasks running in workers run to their end.
     * @throws TaskFailedException if an input failed (the first failure in input order).
     */
    <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<? extends T> inputs, Duration timeout);

    /**
     * Applies {@code fn} to every input and returns the results in input order (Python's {@code Pool.map}). Small
     * tasks are chunked automatically ({@link PoolBuilder#chunkSize}).
     *
     * @param fn     the function.
     * @param inputs the inputs; read lazily, within the in-flight window.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, in input order.
     * @throws TaskFailedException if an input failed (the first failure in input order).
     */
    <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<? extends T> inputs);

    /**
     * Applies a two-argument function to each pair (Python's {@code starmap}).
     *
     * @param fn     the function.
     * @param inputs the argument pairs.
     * @param <A>    the first argument type.
     * @param <B>    the second argument type.
     * @param <R>    the result type.
     * @return the results, in input order.
     * @throws TaskFailedException if an input failed.
     */
    <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<Args<A, B>> inputs);

    /**
     * Lazily applies {@code fn} to the inputs, yielding results in input order. The iterator pulls inputs only as
     * its results are consumed, at most the in-flight window ahead. {@code next()} throws
     * {@link TaskFailedException} for a failed input and then carries on with the next one.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless; read on the thread that calls the iterator.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, in input order.
     */
    <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterator<? extends T> inputs);

    /**
     * As {@link #imap}, yielding each result as soon as it is ready.
     *
     * @param fn     the function.
     * @param inputs the inputs, possibly endless.
     * @param <T>    the input type.
     * @param <R>    the result type.
     * @return the results, in completion order.
     */
    <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterator<? extends T> inputs);

    /**
     * As {@link #imap} with {@link Outcome}s instead of exceptions: each input's result or failure, paired with the
     * input and its index, ordered or in completion order.
     *
     * @param fn      the function.
     * @param inputs  the inputs, possibly endless.
     * @param ordered true for input order, false for completion order.
     * @param <T>     the input type.
     * @param <R>     the result type.
     * @return the outcomes.
     */
    <T, R> Iterator<Outcome<T, R>> imapOutcomes(SerializableFunction<T, R> fn, Iterator<? extends T> inputs,
        boolean ordered);

    /** @return the number of workers the pool keeps running. */
    int workers();

    /**
     * @return the pids of the workers running now; first waits (each at most its start timeout) for the workers the
     *         build was still starting when it returned, so that right after the build every worker is listed.
     */
    List<Long> workerPids();

    /** @return a snapshot of the pool's counters. */
    PoolStats stats();

    /**
     * The inputs that ended in failure and are still within the pool's retention
     * ({@link PoolBuilder#failedTaskRetention}): each with its error and stack trace, attempts, the pid and exit
     * status of the worker of its last attempt, and its timestamps. A record is added before the input's failure
     * is delivered to its future or iterator. Callable from any thread of the parent, also after
     * {@link #close()}; never blocks for long.
     *
     * @return the records, oldest first; an immutable list.
     */
    List<FailedTask> failedTasks();

    /**
     * Stops accepting tasks, waits until every accepted task has finished (up to the close timeout, after which it
     * acts as {@link #shutdownNow}), then stops the workers and frees the queues. Idempotent.
     */
    @Override
    void close();

    /**
     * Closes without waiting (Python's {@code Pool.close()} without {@code join()}): stops accepting tasks at once,
     * then, on a thread of its own, does what {@link #close()} does. Idempotent.
     *
     * @return a future completed once the pool has drained and stopped (join it with {@code get()}).
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Stops at once, as Python's {@code Pool.terminate()}: {@link #shutdownNow(Duration)} with a grace of 5 s, the
     * unfinished inputs dropped (their futures fail with a {@link java.util.concurrent.CancellationException}).
     * Idempotent.
     */
    void terminate();

    /**
     * A {@link java.util.concurrent.ExecutorService} over this pool, for code written against executors. Every
     * task must be {@link java.io.Serializable} (a {@link SerializableCallable}, a lambda cast to an intersection
     * such as {@code (Runnable & Serializable) () -> ...}, or a serializable class): one
     * that is not is refused with {@link dev.forklift.process.TaskNotSerializableException} naming its class. The
     * futures' {@code cancel(true)} stops a running task by killing and replacing its worker (as
     * {@link #submit(SerializableCallable)}'s); {@code invokeAll} with a timeout and {@code invokeAny} cancel
     * that way. {@code shutdown()} is {@link #closeAsync()}, {@code shutdownNow()} is {@link #terminate()} (and
     * returns an empty list: the tasks it stopped fail with a {@link java.util.concurrent.CancellationException}),
     * {@code awaitTermination} waits for either.
     *
     * @return the view; each call returns a new one over the same pool.
     */
    java.util.concurrent.ExecutorService asExecutorService();

    /**
     * Stops at once: fails every unfinished task with a {@link java.util.concurrent.CancellationException}, kills
     * the workers, frees the queues; returns within about the timeout. Idempotent (a second call returns an empty
     * list).
     *
     * @param timeout the longest time to wait for the workers to go.
     * @return the inputs that had not finished.
     */
    List<UnfinishedTask> shutdownNow(Duration timeout);
}
