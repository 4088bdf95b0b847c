package dev.forklift.process.internal;

import java.io.Serializable;

/**
 * What a parent sends a child right after the child connects: everything the child needs to run its task.
 * The task and the arguments travel as separately serialized byte arrays, so the parent validates them before
 * launching anything and the child decodes them (attaching queues) before it reports ready.
 *
 * <p>The child decodes the spec itself with an allow-list of the spec's own classes only ({@link #ALLOW_LIST}), and
 * the task and arguments with an allow-list of exactly the classes the parent wrote into them
 * ({@code classNames}), so a spec that did not come from its parent's serialization cannot bring a class to life in
 * the child.
 *
 * <p>Internal; not API.
 *
 * @param name            the child's name.
 * @param role            the child's role.
 * @param parentPid       the parent's pid.
 * @param taskClassName   the task class to instantiate, or null when {@code taskBytes} is set.
 * @param taskBytes       the serialized task object, or null when {@code taskClassName} is set.
 * @param argsBytes       the serialized {@code Object[]} of arguments.
 * @param classNames      every class written into {@code taskBytes} and {@code argsBytes}: the child decodes them
 *                        with this allow-list.
 * @param statusBoardPath the parent's status-board file.
 * @param statusRow       the child's row in that board.
 */
public record ChildSpec(String name, String role, long parentPid, String taskClassName, byte[] taskBytes,
                        byte[] argsBytes, String[] classNames, String statusBoardPath, int statusRow)
    implements Serializable {
    /** The only classes a spec frame may hold: its serial form, strings, byte and string arrays. */
    public static final dev.forklift.codec.AllowList ALLOW_LIST =
        dev.forklift.codec.AllowList.defaults().allowNames(Form.class.getName());

    @java.io.Serial
    private Object writeReplace() {
        return new Form(this);
    }

    /**
     * The serialized form: an ordinary class, because decoding a record makes a fresh JVM build method handles
     * for its constructor (tens of milliseconds in every child start).
     */
    private static final class Form implements Serializable {
        private static final long serialVersionUID = 2L;
        private final String name;
        private final String role;
        private final long parentPid;
        private final String taskClassName;
        private final byte[] taskBytes;
        private final byte[] argsBytes;
        private final String[] classNames;
        private final String statusBoardPath;
        private final int statusRow;

        Form(final ChildSpec spec) {
            name = spec.name;
            role = spec.role;
            parentPid = spec.parentPid;
            taskClassName = spec.taskClassName;
            taskBytes = spec.taskBytes;
            argsBytes = spec.argsBytes;
            classNames = spec.classNames;
            statusBoardPath = spec.statusBoardPath;
            statusRow = spec.statusRow;
        }

        @java.io.Serial
        private Object readResolve() {
            return new ChildSpec(name, role, parentPid, taskClassName, taskBytes, argsBytes, classNames,
                statusBoardPath, statusRow);
        }
    }
}
