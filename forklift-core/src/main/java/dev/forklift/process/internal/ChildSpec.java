package dev.forklift.process.internal;

import java.io.Serializable;

/**
 * What a parent sends a child right after the child connects: everything the child needs to run its task.
 * The task and the arguments travel as separately serialized byte arrays, so the parent validates them before
 * launching anything and the child decodes them (attaching queues) before it reports ready.
 *
 * <p>Internal; not API.
 *
 * @param name            the child's name.
 * @param role            the child's role.
 * @param parentPid       the parent's pid.
 * @param taskClassName   the task class to instantiate, or null when {@code taskBytes} is set.
 * @param taskBytes       the serialized task object, or null when {@code taskClassName} is set.
 * @param argsBytes       the serialized {@code Object[]} of arguments.
 * @param statusBoardPath the parent's status-board file.
 * @param statusRow       the child's row in that board.
 */
public record ChildSpec(String name, String role, long parentPid, String taskClassName, byte[] taskBytes,
                        byte[] argsBytes, String statusBoardPath, int statusRow) implements Serializable {
}
