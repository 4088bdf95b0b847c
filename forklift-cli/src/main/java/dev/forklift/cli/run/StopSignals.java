package dev.forklift.cli.run;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Catches SIGINT (Ctrl-C) and SIGTERM for the length of a {@code forklift run}, so that the run, not the JVM's
 * shutdown, decides what happens: the handler is called with the signal's number (2 or 15) on the JVM's signal
 * thread, and the process does not exit by itself. {@link #close()} puts the previous handlers back. Uses
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}), the JDK's only way to handle a signal without shutting
 * down; where it is unavailable (such as under {@code -Xrs}) nothing is caught and the JVM exits as it would.
 */
final class StopSignals implements AutoCloseable {
    /** SIGINT. */
    static final int INT = 2;
    /** SIGTERM. */
    static final int TERM = 15;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    /**
     * @param onSignal called with 2 or 15 on the JVM's signal thread, once per signal received.
     * @return the installed handlers; close to restore the previous ones.
     */
    static StopSignals install(final IntConsumer onSignal) {
        final StopSignals installed = new StopSignals();
        for (final String name : new String[] {"INT", "TERM"}) {
            try {
                final Signal signal = new Signal(name);
                final SignalHandler old = Signal.handle(signal, s -> onSignal.accept(s.getNumber()));
                installed.signals.add(signal);
                installed.previous.add(old);
            } catch (final IllegalArgumentException | UnsupportedOperationException | LinkageError ex) {
                // Not available here: the JVM handles the signal as it always does.
            }
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (final IllegalArgumentException ex) {
                // nothing to restore
            }
        }
        signals.clear();
        previous.clear();
    }
}
