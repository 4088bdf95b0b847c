package dev.forklift.pool.internal;

import dev.forklift.pool.Args;
import dev.forklift.pool.Outcome;
import dev.forklift.pool.Pool;
import dev.forklift.pool.SerializableArgsFunction;
import dev.forklift.pool.SerializableBiFunction;
import dev.forklift.pool.SerializableCallable;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.SerializableTriFunction;
import dev.forklift.pool.TaskFailedException;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The calls of a {@link Pool} that come down to two steps, submitting one input and streaming the outcomes of
 * many: the submits of any arity, {@code map}, {@code starmap} and the iterators, with the chunk and window sizes
 * chosen the same way. Internal; not API; shared by the local pool and the pool over a broker.
 */
public abstract class AbstractPool implements Pool {
    private static final int MAX_AUTO_CHUNK = 16_384;
    private static final int MIN_AUTO_WINDOW = 1024;

    /** For the two pools. */
    protected AbstractPool() {
    }

    /**
     * Submits one input.
     *
     * @param fn  the function, a {@link SerializableFunction} of the input.
     * @param arg the input.
     * @param <R> the result's type.
     * @return the future of the result.
     */
    protected abstract <R> CompletableFuture<R> submitAny(Object fn, Object arg);

    /**
     * Starts the outcomes of a map or an iterator.
     *
     * @param fn      the function, a {@link SerializableFunction} of each input.
     * @param inputs  the inputs.
     * @param ordered true for input order, false for completion order.
     * @param size    the number of inputs when known, else -1.
     * @return the stream of outcomes.
     */
    protected abstract OutcomeStream stream(Object fn, Iterator<?> inputs, boolean ordered, long size);

    @Override
    public <T, R> CompletableFuture<R> submit(final SerializableFunction<T, R> fn, final T arg) {
        return submitAny(fn, arg);
    }

    @Override
    public <A, B, R> CompletableFuture<R> submit(final SerializableBiFunction<A, B, R> fn, final A a, final B b) {
        return submitAny(new Pair<>(fn), Args.of(a, b));
    }

    @Override
    public <R> CompletableFuture<R> submit(final SerializableCallable<R> fn) {
        return submitAny(new SpreadFunction<>(fn, 0), null);
    }

    @Override
    public <A, B, C, R> CompletableFuture<R> submit(final SerializableTriFunction<A, B, C, R> fn, final A a,
        final B b, final C c) {
        return submitAny(new SpreadFunction<>(fn, 3), SpreadFunction.pack(new Object[] {a, b, c}));
    }

    @Override
    public <R> CompletableFuture<R> submitArgs(final SerializableArgsFunction<R> fn, final Object... args) {
        final Object[] all = args == null ? new Object[1] : args;
        return submitAny(new SpreadFunction<>(fn, all.length), SpreadFunction.pack(all));
    }

    @Override
    public <T, R> List<R> map(final SerializableFunction<T, R> fn, final Iterable<? extends T> inputs) {
        final long size = sizeOf(requireInputs(inputs));
        return collect(stream(fn, inputs.iterator(), true, size), size);
    }

    @Override
    public <A, B, R> List<R> starmap(final SerializableBiFunction<A, B, R> fn, final Iterable<Args<A, B>> inputs) {
        final long size = sizeOf(requireInputs(inputs));
        return collect(stream(new Pair<>(fn), inputs.iterator(), true, size), size);
    }

    @Override
    public <T, R> Iterator<R> imap(final SerializableFunction<T, R> fn, final Iterator<? extends T> inputs) {
        return throwing(stream(fn, requireInputs(inputs), true, -1));
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(final SerializableFunction<T, R> fn, final Iterator<? extends T> inputs) {
        return throwing(stream(fn, requireInputs(inputs), false, -1));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T, R> Iterator<Outcome<T, R>> imapOutcomes(final SerializableFunction<T, R> fn,
        final Iterator<? extends T> inputs, final boolean ordered) {
        return (Iterator<Outcome<T, R>>) (Iterator<?>) stream(fn, requireInputs(inputs), ordered, -1);
    }

    /**
     * @param config the pool's settings.
     * @param size   the number of inputs when known, else -1.
     * @return the inputs per chunk: the configured size, else about four chunks per worker, else 1.
     */
    protected static int chunkSize(final PoolConfig config, final long size) {
        return config.chunkSize() > 0 ? config.chunkSize()
            : size < 0 ? 1 : (int) Math.max(1, Math.min(MAX_AUTO_CHUNK, (size + 4L * config.workers() - 1)
                / (4L * config.workers())));
    }

    /**
     * @param config the pool's settings.
     * @param chunk  the inputs per chunk.
     * @return the most inputs in flight: the configured window (at least a chunk), else four chunks per worker.
     */
    protected static int window(final PoolConfig config, final int chunk) {
        return config.inFlightWindow() > 0 ? Math.max(config.inFlightWindow(), chunk)
            : (int) Math.min(100_000_000, Math.max(MIN_AUTO_WINDOW, 4L * config.workers() * chunk));
    }

    /**
     * @param inputs the inputs of a map, an iterable or an iterator.
     * @param <I>    their type.
     * @return them.
     * @throws IllegalArgumentException if they are null (as a null function is refused).
     */
    protected static <I> I requireInputs(final I inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null");
        }
        return inputs;
    }

    /**
     * @param inputs the inputs of a map.
     * @return their number when known, else -1.
     */
    protected static long sizeOf(final Iterable<?> inputs) {
        return inputs instanceof Collection ? ((Collection<?>) inputs).size() : -1;
    }

    /** The largest result list of a map made at its final size up front (64M references). */
    private static final long MAX_PRESIZED_RESULTS = 1L << 26;

    /**
     * @param stream the outcomes of a map.
     * @param <R>    the results' type.
     * @return the results in order; the first failure abandons the stream and is thrown as a
     *     {@link TaskFailedException}.
     */
    protected static <R> List<R> collect(final OutcomeStream stream) {
        return collect(stream, -1);
    }

    /**
     * As {@link #collect(OutcomeStream)}, the result list made once at its final size when the number of inputs is
     * known (no copies of a growing array of a million references).
     *
     * @param stream the outcomes of a map.
     * @param size   the number of inputs, or -1 when unknown.
     * @param <R>    the results' type.
     * @return the results in order.
     */
    @SuppressWarnings("unchecked")
    protected static <R> List<R> collect(final OutcomeStream stream, final long size) {
        final MapResultList results = new MapResultList(Math.min(size, MAX_PRESIZED_RESULTS));
        try {
            // the results ready at once (a whole chunk, usually) under one lock, not one lock per result
            while (stream.drainResults(results)) {
                continue;
            }
        } catch (final TaskFailedException ex) {
            stream.abandon();
            throw ex;
        }
        return (List<R>) results.finish();
    }

    private static <R> Iterator<R> throwing(final OutcomeStream stream) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stream.hasNext();
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                return (R) stream.nextResult();
            }
        };
    }

    /** A two-argument function applied to {@link Args}; equal for the same function object. */
    private static final class Pair<A, B, R> implements SerializableFunction<Args<A, B>, R> {
        private static final long serialVersionUID = 1L;
        private final SerializableBiFunction<A, B, R> fn;

        Pair(final SerializableBiFunction<A, B, R> fn) {
            this.fn = fn;
        }

        @Override
        public R apply(final Args<A, B> args) {
            return fn.apply(args.first(), args.second());
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Pair && ((Pair<?, ?, ?>) other).fn == fn;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(fn);
        }
    }
}
