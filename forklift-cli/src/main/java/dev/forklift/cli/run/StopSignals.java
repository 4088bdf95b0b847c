package dev.forklift.cli.run;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Catches SIGINT (Ctrl-C) and SIGTERM for the length of a {@code forklift run}, so that the run, not the JVM's
 * shutdown, decides what happens: the handler is called with the signal's number (2 or 15) on the JVM's signal
 * thread, and the process does not exit by itself. {@link #close()} puts the previous handlers back.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, in every JDK), the JDK's only way to handle a
 * signal without shutting down; it is reached by reflection so that the build stays free of warnings about
 * internal APIs. Where it is unavailable (such as under {@code -Xrs}, or for a signal the process ignores, as a
 * background job of a non-interactive shell ignores SIGINT) nothing is caught and the JVM does what it would.
 */
final class StopSignals implements AutoCloseable {
    /** SIGINT. */
    static final int INT = 2;
    /** SIGTERM. */
    static final int TERM = 15;

    private final List<Object> signals = new ArrayList<>();
    private final List<Object> previous = new ArrayList<>();
    private Method handle;

    private StopSignals() {
    }

    /**
     * @param onSignal called with 2 or 15 on the JVM's signal thread, once per signal received.
     * @return the installed handlers; close to restore the previous ones.
     */
    static StopSignals install(final IntConsumer onSignal) {
        final StopSignals installed = new StopSignals();
        try {
            final Class<?> signalType = Class.forName("sun.misc.Signal");
            final Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            final Constructor<?> named = signalType.getConstructor(String.class);
            final Method number = signalType.getMethod("getNumber");
            installed.handle = signalType.getMethod("handle", signalType, handlerType);
            final Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(),
                new Class<?>[] {handlerType}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "handle":
                            onSignal.accept((Integer) number.invoke(args[0]));
                            return null;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return "forklift run stop handler";
                    }
                });
            for (final String name : new String[] {"INT", "TERM"}) {
                try {
                    final Object signal = named.newInstance(name);
                    final Object old = installed.handle.invoke(null, signal, handler);
                    installed.signals.add(signal);
                    installed.previous.add(old);
                } catch (final ReflectiveOperationException | RuntimeException ex) {
                    // This signal cannot be caught here: the JVM handles it as it always does.
                }
            }
        } catch (final ReflectiveOperationException | RuntimeException | LinkageError ex) {
            // No sun.misc.Signal: nothing is caught.
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                handle.invoke(null, signals.get(i), previous.get(i));
            } catch (final ReflectiveOperationException | RuntimeException ex) {
                // nothing to restore
            }
        }
        signals.clear();
        previous.clear();
    }
}
