package dev.forklift.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * Periodic (every second by default) counters of each queue this process created, read from the queue's header by
 * JFR's periodic thread; one event per queue. Nothing of the queue's hot path is touched.
 */
@Name("dev.forklift.QueueStatistics")
@Label("Queue Statistics")
@Category({"Forklift", "Queue"})
@Description("Size, capacity and counters of a queue created by this process")
@Period("1 s")
@StackTrace(false)
public final class QueueStatisticsEvent extends Event {
    /** The queue's name. */
    @Label("Queue")
    public String queue;
    /** Items in it now. */
    @Label("Size")
    public int size;
    /** Its capacity in items. */
    @Label("Capacity")
    public int capacity;
    /** Items put since it was created. */
    @Label("Puts")
    public long puts;
    /** Items taken since it was created. */
    @Label("Takes")
    public long takes;
    /** Slots published as torn after their producer died. */
    @Label("Torn")
    public long torn;
    /** Slots released after their consumer died. */
    @Label("Abandoned")
    public long abandoned;
    /** Slots aborted by their producer (an encoding failure). */
    @Label("Aborted")
    public long aborted;
}
