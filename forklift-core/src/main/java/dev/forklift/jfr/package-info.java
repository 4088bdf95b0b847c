/**
 * Java Flight Recorder events of Forklift, named after the JDK's guidelines ({@code dev.forklift.TaskAttempt},
 * {@code dev.forklift.WorkerStart}, {@code dev.forklift.WorkerExit}, {@code dev.forklift.QueueWait},
 * {@code dev.forklift.QueueRepair}, {@code dev.forklift.QueueStatistics}). The classes are written by the core
 * only; users read the events with any JFR tool ({@code jfr print --events 'dev.forklift.*' file.jfr}, JDK Mission
 * Control). When no recording is on, creating and committing an event costs a check of a flag and no allocation
 * after escape analysis; the queue's events are created only on its slow (waiting or repairing) paths.
 *
 * <p>This package depends on nothing else of Forklift (it is below the shared-memory layer).
 */
package dev.forklift.jfr;
