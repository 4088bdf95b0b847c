package dev.forklift.pool.internal;

import dev.forklift.pool.Pool;
import dev.forklift.pool.SerializableCallable;
import dev.forklift.process.TaskNotSerializableException;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@link dev.forklift.pool.Pool#asExecutorService()}: every task runs in a worker JVM of the pool. The executor's
 * own machinery ({@code submit}, {@code invokeAll}, {@code invokeAny}) makes a {@link PoolTask} per task through
 * {@link #newTaskFor} and hands it to {@link #execute}, which submits its callable to the pool; the task's future
 * is the pool's, so that {@code cancel(true)} stops the task in its worker. Tasks must be serializable; the check is
 * made at once, on the submitting thread. Thread-safe. Internal; not API (public for the pool over a broker).
 */
public final class PoolExecutorService extends AbstractExecutorService {
    private final Pool pool;
    private final BooleanSupplier accepting;
    private final BooleanSupplier stopped;

    /**
     * @param pool      the pool whose workers run the tasks (a local pool or one over a broker).
     * @param accepting true while the pool takes tasks.
     * @param stopped   true once the pool has stopped.
     */
    public PoolExecutorService(final Pool pool, final BooleanSupplier accepting, final BooleanSupplier stopped) {
        this.pool = pool;
        this.accepting = accepting;
        this.stopped = stopped;
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Callable<T> callable) {
        return new PoolTask<>(asSerializable(callable));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Runnable runnable, final T value) {
        return new PoolTask<>(new RunnableCall<>(requireSerializable(runnable), value));
    }

    @Override
    public void execute(final Runnable command) {
        if (command instanceof PoolTask) {
            ((PoolTask<?>) command).start(pool);
        } else {
            pool.submit(new RunnableCall<>(requireSerializable(command), null));
        }
    }

    @Override
    public void shutdown() {
        pool.closeAsync();
    }

    @Override
    public List<Runnable> shutdownNow() {
        pool.terminate();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return !accepting.getAsBoolean();
    }

    @Override
    public boolean isTerminated() {
        return stopped.getAsBoolean();
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!stopped.getAsBoolean()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        return true;
    }

    private static <T> SerializableCallable<T> asSerializable(final Callable<T> callable) {
        if (callable instanceof SerializableCallable) {
            return (SerializableCallable<T>) callable;
        }
        return new CallableCall<>(requireSerializable(callable));
    }

    private static <T> T requireSerializable(final T task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (!(task instanceof Serializable)) {
            throw new TaskNotSerializableException("a task of a pool's executor runs in another JVM and must be"
                + " serializable: " + task.getClass().getName() + " is not (declare it as a SerializableCallable,"
                + " or cast a lambda to (Callable<T> & Serializable) or (Runnable & Serializable))", null);
        }
        return task;
    }

    /** A serializable callable that is not a {@link SerializableCallable}. */
    private static final class CallableCall<T> implements SerializableCallable<T> {
        private static final long serialVersionUID = 1L;
        private final Callable<T> callable;

        CallableCall(final Callable<T> callable) {
            this.callable = callable;
        }

        @Override
        public T call() throws Exception {
            return callable.call();
        }
    }

    /** A serializable runnable with the value its future gets. */
    private static final class RunnableCall<T> implements SerializableCallable<T> {
        private static final long serialVersionUID = 1L;
        private final Runnable runnable;
        private final T value;

        RunnableCall(final Runnable runnable, final T value) {
            this.runnable = runnable;
            this.value = value;
        }

        @Override
        public T call() {
            runnable.run();
            return value;
        }
    }

    /** A task of the executor: made by {@link #newTaskFor}, started by {@link #execute}, backed by a pool future. */
    private static final class PoolTask<T> implements RunnableFuture<T> {
        private final SerializableCallable<T> callable;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile CompletableFuture<T> running;

        PoolTask(final SerializableCallable<T> callable) {
            this.callable = callable;
        }

        void start(final Pool pool) {
            final CompletableFuture<T> future = pool.submit(callable);
            running = future;
            future.whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(error);
                }
            });
            if (result.isCancelled()) {
                future.cancel(true);
            }
        }

        @Override
        public void run() {
            throw new UnsupportedOperationException("a pool task runs in a worker JVM, started by execute()");
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning) {
            final boolean cancelled = result.cancel(mayInterruptIfRunning);
            final CompletableFuture<T> future = running;
            if (cancelled && future != null) {
                future.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return result.isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public T get(final long timeout, final TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }
    }
}
