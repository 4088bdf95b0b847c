package dev.forklift.queue.internal;

import dev.forklift.jfr.QueueRepairEvent;
import dev.forklift.jfr.QueueStatisticsEvent;
import dev.forklift.jfr.QueueWaitEvent;
import dev.forklift.queue.QueueInspector;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the queue's flight-recorder events: a wait (begun on the slow path only, committed when it ends and lasted
 * longer than the event's threshold), a repair, and the periodic statistics of the queues this process created.
 * Thread-safe; nothing blocks.
 *
 * <p>The periodic event is registered without touching the flight recorder on the caller's path: registering it
 * ({@link FlightRecorder#addPeriodicEvent}) initialises the recorder's metadata and generates code (530-625 ms on a
 * 2-core machine at load 13, docs/benchmarks.md), which a pool paid before launching its workers. So when the first
 * queue is created here: if the recorder is already initialised (a {@code -XX:StartFlightRecording} JVM, a
 * recording started in-process), the event is registered at once; otherwise a daemon thread registers, after
 * {@code HOOK_DELAY_MS}, a listener that registers the event when the recorder is initialised (at once if it
 * already is, so a recording started meanwhile loses at most its first periods). Queues only attached here (a
 * worker's inbox) register nothing: the event covers the queues this process created.
 *
 * <p>Internal; not API.
 */
public final class QueueFlightEvents {
    /**
     * System property: how long after the first queue's creation the recorder listener is registered, off the
     * caller's thread, in ms (default {@code HOOK_DELAY_MS}). A warm worker sets 0 before it rehearses a queue,
     * so that the registration is done while it is spare, not after it is leased.
     */
    public static final String HOOK_DELAY_PROPERTY = "forklift.jfr.hookDelayMs";
    /** The default of {@link #HOOK_DELAY_PROPERTY}. */
    static final long HOOK_DELAY_MS = 1_000;

    private static volatile boolean periodicRequested;
    private static final AtomicBoolean PERIODIC_ADDED = new AtomicBoolean();

    private QueueFlightEvents() {
    }

    /**
     * Arranges, once per process, for the periodic {@link QueueStatisticsEvent} of this process's queues; called
     * when a queue is created here. Returns at once; loads no flight-recorder code unless the recorder is on.
     */
    static void registerPeriodic() {
        if (periodicRequested) {
            return;
        }
        synchronized (QueueFlightEvents.class) {
            if (periodicRequested) {
                return;
            }
            periodicRequested = true;
        }
        if (FlightRecorder.isInitialized()) {
            addPeriodic();
            return;
        }
        final Thread hook = new Thread(QueueFlightEvents::listenAfterDelay, "forklift-jfr-hook");
        hook.setDaemon(true);
        hook.start();
    }

    private static void listenAfterDelay() {
        try {
            Thread.sleep(Math.max(0, Long.getLong(HOOK_DELAY_PROPERTY, HOOK_DELAY_MS)));
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(final FlightRecorder recorder) {
                    addPeriodic();
                }
            });
        } catch (final RuntimeException ex) {
            // No flight recorder in this JVM (or no permission): no statistics events, nothing else changes.
        }
    }

    private static void addPeriodic() {
        if (PERIODIC_ADDED.compareAndSet(false, true)) {
            try {
                FlightRecorder.addPeriodicEvent(QueueStatisticsEvent.class, QueueFlightEvents::emitStatistics);
            } catch (final RuntimeException ex) {
                // As above: the recorder refused the event; queues work without it.
            }
        }
    }

    private static void emitStatistics() {
        final long self = ProcessHandle.current().pid();
        for (final QueueInspector.QueueInfo info : QueueInspector.snapshot()) {
            if (info.ownerPid() != self) {
                continue;
            }
            final QueueStatisticsEvent event = new QueueStatisticsEvent();
            event.queue = info.name();
            event.size = info.size();
            event.capacity = info.capacity();
            event.puts = info.puts();
            event.takes = info.takes();
            event.torn = info.torn();
            event.abandoned = info.abandoned();
            event.aborted = info.aborted();
            event.commit();
        }
    }

    /**
     * @return a begun wait event, to pass to {@link #endWait}, or null when the flight recorder is not initialised
     *     (no recording can be on, and the first event object of a JVM would initialise it); called when a claim
     *     first has to wait.
     */
    static QueueWaitEvent beginWait() {
        if (!FlightRecorder.isInitialized()) {
            return null;
        }
        final QueueWaitEvent event = new QueueWaitEvent();
        event.begin();
        return event;
    }

    /**
     * Ends a wait begun by {@link #beginWait}, and commits it if it is over the threshold of a recording.
     *
     * @param event     the event, or null when the claim never waited.
     * @param queue     the queue's name.
     * @param operation put or take.
     * @param timedOut  whether the wait ended at its deadline.
     */
    static void endWait(final QueueWaitEvent event, final String queue, final String operation,
        final boolean timedOut) {
        if (event == null) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.queue = queue;
            event.operation = operation;
            event.timedOut = timedOut;
            event.commit();
        }
    }

    /**
     * Records the repair of one slot.
     *
     * @param queue     the queue's name, or null when not known.
     * @param kind      torn or abandoned.
     * @param position  the slot's position.
     * @param holderPid the dead holder's pid, or 0 if none was written.
     */
    static void repaired(final String queue, final String kind, final long position, final int holderPid) {
        if (!FlightRecorder.isInitialized()) {
            return; // no recording can be on; the event object would initialise the recorder (see the class doc)
        }
        final QueueRepairEvent event = new QueueRepairEvent();
        if (event.isEnabled()) {
            event.queue = queue;
            event.kind = kind;
            event.position = position;
            event.holderPid = Math.max(0, holderPid);
            event.commit();
        }
    }
}
