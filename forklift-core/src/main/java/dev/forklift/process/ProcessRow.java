package dev.forklift.process;

/**
 * One process as published on a status board: a snapshot, taken by {@link ProcessTable#snapshot()}.
 *
 * @param boardOwnerPid  the pid of the process whose board holds the row (the parent, or the process itself for
 *                       row 0).
 * @param pid            the pid of the process the row describes (0 while its JVM is being launched).
 * @param parentPid      the pid of its parent.
 * @param role           its role, at most 15 characters.
 * @param name           its name, at most 31 characters.
 * @param state          its free-text state, at most 15 characters ({@code starting}, {@code running}, a state the
 *                       task set, {@code exited}, {@code failed}, {@code killed}).
 * @param itemsDone      its count of items done.
 * @param heartbeatAgeMs how long ago it last wrote a heartbeat (about every 200 ms while alive).
 * @param startEpochMs   when it started, epoch ms.
 * @param alive          whether the operating system reports the pid alive when the snapshot was taken.
 * @param currentTask    the unit of work it runs now, as its task published it ({@link TaskContext#workStamp};
 *                       a pool's worker publishes the id of the task it runs), 0 when none.
 * @param taskAgeMs      how long it has run {@code currentTask} (or, when none, since it finished the last
 *                       one), -1 when it never published a unit.
 */
public record ProcessRow(long boardOwnerPid, long pid, long parentPid, String role, String name, String state,
                         long itemsDone, long heartbeatAgeMs, long startEpochMs, boolean alive, long currentTask,
                         long taskAgeMs) {
}
