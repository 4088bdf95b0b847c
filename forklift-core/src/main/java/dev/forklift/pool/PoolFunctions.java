package dev.forklift.pool;

import java.util.function.Function;

/** Functions for a {@link Pool} that are named rather than written as lambdas. */
public final class PoolFunctions {
    private PoolFunctions() {
    }

    /**
     * A function that each worker loads by class name from its own class path and instantiates once, for classes
     * the parent cannot load (a worker class path given with {@link PoolBuilder#classpath}).
     *
     * @param className the binary name of a public class with a public no-argument constructor implementing
     *                  {@link Function}.
     * @param <T>       the input type.
     * @param <R>       the result type.
     * @return the function; it fails in the worker, per input, when the class cannot be loaded or is no function.
     */
    public static <T, R> SerializableFunction<T, R> byClassName(final String className) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("class name must not be blank: className=" + className);
        }
        return new ByClassName<>(className);
    }

    private static final class ByClassName<T, R> implements SerializableFunction<T, R> {
        private static final long serialVersionUID = 1L;

        private final String className;
        private transient Function<T, R> delegate;

        ByClassName(final String className) {
            this.className = className;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(final T input) {
            if (delegate == null) {
                final Object instance;
                try {
                    final ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader() : PoolFunctions.class.getClassLoader();
                    instance = Class.forName(className, true, loader).getConstructor().newInstance();
                } catch (final ReflectiveOperationException | LinkageError ex) {
                    throw new IllegalStateException("cannot instantiate task class '" + className
                        + "' (a public class with a public no-argument constructor is needed): " + ex, ex);
                }
                if (!(instance instanceof Function)) {
                    throw new IllegalStateException("task class '" + className + "' does not implement "
                        + Function.class.getName());
                }
                delegate = (Function<T, R>) instance;
            }
            return delegate.apply(input);
        }

        @Override
        public String toString() {
            return "function " + className;
        }
    }
}
