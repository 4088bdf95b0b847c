package dev.forklift.pool.internal;

import dev.forklift.pool.Args;
import dev.forklift.pool.SerializableArgsFunction;
import dev.forklift.pool.SerializableCallable;
import dev.forklift.pool.SerializableFunction;
import dev.forklift.pool.SerializableTriFunction;

/**
 * A function of {@code count} arguments applied to their packed form: none (null), the one argument, or a chain
 * of {@link Args} pairs {@code (a0, (a1, (..., (an-2, an-1))))}, which the element codec carries as nested
 * pairs. Used by every {@link dev.forklift.pool.Pool} implementation for submits of zero, three and any number of
 * arguments; runs in the worker. Internal; not API.
 */
public final class SpreadFunction<R> implements SerializableFunction<Object, R> {
    private static final long serialVersionUID = 1L;
    /** A {@link SerializableCallable}, a {@link SerializableTriFunction} or a {@link SerializableArgsFunction}. */
    private final java.io.Serializable fn;
    private final int count;

    public SpreadFunction(final java.io.Serializable fn, final int count) {
        if (fn == null) {
            throw new IllegalArgumentException("function must not be null");
        }
        this.fn = fn;
        this.count = count;
    }

    public static Object pack(final Object[] args) {
        if (args.length == 0) {
            return null;
        }
        Object packed = args[args.length - 1];
        for (int i = args.length - 2; i >= 0; i--) {
            packed = Args.of(args[i], packed);
        }
        return packed;
    }

    @Override
    public R apply(final Object packed) {
        final Object[] args = new Object[count];
        Object rest = packed;
        for (int i = 0; i < count - 1; i++) {
            final Args<?, ?> pair = (Args<?, ?>) rest;
            args[i] = pair.first();
            rest = pair.second();
        }
        if (count > 0) {
            args[count - 1] = rest;
        }
        try {
            return call(args);
        } catch (final RuntimeException | Error ex) {
            throw ex;
        } catch (final Exception ex) {
            throw SpreadFunction.<RuntimeException>sneaky(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private R call(final Object[] args) throws Exception {
        if (fn instanceof SerializableCallable) {
            return ((SerializableCallable<R>) fn).call();
        }
        if (fn instanceof SerializableTriFunction) {
            return ((SerializableTriFunction<Object, Object, Object, R>) fn).apply(args[0], args[1], args[2]);
        }
        return ((SerializableArgsFunction<R>) fn).apply(args);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(final Throwable ex) throws E {
        throw (E) ex;
    }

    /** Equal for the same function object and count, so that a pool ships a function once, not per submit. */
    @Override
    public boolean equals(final Object other) {
        return other instanceof SpreadFunction && ((SpreadFunction<?>) other).fn == fn
            && ((SpreadFunction<?>) other).count == count;
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(fn) + count;
    }
}
