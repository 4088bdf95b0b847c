package dev.forklift.queue.internal;

import dev.forklift.jfr.QueueRepairEvent;
import dev.forklift.jfr.QueueStatisticsEvent;
import dev.forklift.jfr.QueueWaitEvent;
import dev.forklift.queue.QueueInspector;

import jdk.jfr.FlightRecorder;

/**
 * Writes the queue's flight-recorder events: a wait (begun on the slow path only, committed when it ends and lasted
 * longer than the event's threshold), a repair, and the periodic statistics of the queues this process created
 * (registered once, when the first queue is created or opened here). Thread-safe; nothing blocks.
 *
 * <p>Internal; not API.
 */
final class QueueFlightEvents {
    private static volatile boolean periodicRegistered;

    private QueueFlightEvents() {
    }

    /** Registers the periodic {@link QueueStatisticsEvent} of this process's queues, once. */
    static void registerPeriodic() {
        if (periodicRegistered) {
            return;
        }
        synchronized (QueueFlightEvents.class) {
            if (!periodicRegistered) {
                periodicRegistered = true;
                FlightRecorder.addPeriodicEvent(QueueStatisticsEvent.class, QueueFlightEvents::emitStatistics);
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

    /** @return a begun wait event, to pass to {@link #endWait}; called when a claim first has to wait. */
    static QueueWaitEvent beginWait() {
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
