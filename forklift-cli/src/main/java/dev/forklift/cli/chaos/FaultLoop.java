package dev.forklift.cli.chaos;

import java.io.IOException;

/**
 * The killer's loop of a chaos run: injects one fault after another until a deadline or until the run's main thread
 * interrupts it at the end of the run. That interrupt is the normal way a run stops its killer, and it may land
 * inside a fault that waits (a broker being started again, a host's lease): whatever the interrupted call throws,
 * an {@link InterruptedException} or a library's unchecked exception caused by one, is the stop and not a fault of
 * the run. Any other exception ends the loop and is returned as the run's error. Runs on the killer's own thread;
 * only the run's main thread interrupts it.
 */
final class FaultLoop {
    /** One fault: sleeps for its delay, then injects it. */
    @FunctionalInterface
    interface Fault {
        /**
         * Waits for the fault's time and injects it.
         *
         * @throws IOException          when a command that injects it cannot run.
         * @throws InterruptedException when the run stops its killer.
         */
        void inject() throws IOException, InterruptedException;
    }

    private FaultLoop() {
    }

    /**
     * Injects faults until the deadline passes or the thread is interrupted.
     *
     * @param deadlineNs the {@link System#nanoTime()} after which no new fault starts.
     * @param fault      the next fault, asked once per turn.
     * @return the exception that ended the loop and is a fault of the run, or null when it ended at its deadline or
     *     by the stop interrupt (the thread's interrupt status is then set again).
     */
    static Throwable run(final long deadlineNs, final Fault fault) {
        try {
            while (System.nanoTime() < deadlineNs) {
                fault.inject();
            }
            return null;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        } catch (final IOException | RuntimeException ex) {
            if (causedByInterrupt(ex)) {
                Thread.currentThread().interrupt();
                return null;
            }
            return ex;
        }
    }

    private static boolean causedByInterrupt(final Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
