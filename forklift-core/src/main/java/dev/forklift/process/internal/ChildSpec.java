package dev.forklift.process.internal;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a parent sends a child right after the child connects: everything the child needs to run its task.
 * The task and the arguments travel as separately serialized byte arrays, so the parent validates them before
 * launching anything and the child decodes them (attaching queues) before it reports ready.
 *
 * <p>The spec itself travels in a fixed binary layout of strings, numbers and byte arrays ({@link #encode},
 * {@link #decode}), not through Java serialization: decoding it creates no object of any class named by the bytes,
 * and costs a leased warm worker microseconds instead of the 2 ms of CPU that an object stream took. The child
 * decodes the task and arguments with an allow-list of exactly the classes the parent wrote into them
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
                        byte[] argsBytes, String[] classNames, String statusBoardPath, int statusRow) {
    /** First bytes of an encoded spec: "FKS" and the layout version. */
    private static final int MAGIC = 0x464B5301;

    /**
     * @return the spec in its binary layout: the magic, then each field in order; a string or byte array as its
     *     length (-1 for null) and its bytes (UTF-8 for strings), the class names as their count and each name.
     */
    public byte[] encode() {
        final byte[][] strings = new byte[classNames.length][];
        int length = 4 + 8 + 4 + 4 + 4 * 6 + (taskBytes == null ? 0 : taskBytes.length) + argsBytes.length;
        for (int i = 0; i < classNames.length; i++) {
            strings[i] = classNames[i].getBytes(StandardCharsets.UTF_8);
            length += 4 + strings[i].length;
        }
        final byte[] nameBytes = utf8(name);
        final byte[] roleBytes = utf8(role);
        final byte[] taskClassBytes = utf8(taskClassName);
        final byte[] boardBytes = utf8(statusBoardPath);
        length += lengthOf(nameBytes) + lengthOf(roleBytes) + lengthOf(taskClassBytes) + lengthOf(boardBytes);
        final ByteBuffer out = ByteBuffer.allocate(length);
        out.putInt(MAGIC);
        putBytes(out, nameBytes);
        putBytes(out, roleBytes);
        out.putLong(parentPid);
        putBytes(out, taskClassBytes);
        putBytes(out, taskBytes);
        putBytes(out, argsBytes);
        out.putInt(strings.length);
        for (final byte[] string : strings) {
            putBytes(out, string);
        }
        putBytes(out, boardBytes);
        out.putInt(statusRow);
        return out.array();
    }

    /**
     * @param bytes what {@link #encode} made.
     * @return the spec.
     * @throws IOException naming what is wrong when the bytes are not a spec of this layout (another magic, a
     *                     length past the end, bytes left over).
     */
    public static ChildSpec decode(final byte[] bytes) throws IOException {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            final int magic = in.getInt();
            if (magic != MAGIC) {
                throw new IOException("not a spec of this version: magic=0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC));
            }
            final String name = string(in);
            final String role = string(in);
            final long parentPid = in.getLong();
            final String taskClassName = string(in);
            final byte[] taskBytes = bytes(in);
            final byte[] argsBytes = bytes(in);
            final int count = in.getInt();
            if (count < 0 || count > in.remaining() / 4) {
                throw new IOException("bad class-name count in a spec: count=" + count);
            }
            final String[] classNames = new String[count];
            for (int i = 0; i < count; i++) {
                classNames[i] = string(in);
                if (classNames[i] == null) {
                    throw new IOException("a spec names a null class at index " + i);
                }
            }
            final String statusBoardPath = string(in);
            final int statusRow = in.getInt();
            if (in.hasRemaining()) {
                throw new IOException("a spec has " + in.remaining() + " bytes after its last field");
            }
            if (name == null || role == null || argsBytes == null || statusBoardPath == null) {
                throw new IOException("a spec lacks its name, role, arguments or status board");
            }
            return new ChildSpec(name, role, parentPid, taskClassName, taskBytes, argsBytes, classNames,
                statusBoardPath, statusRow);
        } catch (final BufferUnderflowException ex) {
            throw new IOException("a spec ends inside a field: lengthBytes=" + bytes.length, ex);
        }
    }

    private static byte[] utf8(final String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int lengthOf(final byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void putBytes(final ByteBuffer out, final byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length).put(bytes);
        }
    }

    private static byte[] bytes(final ByteBuffer in) throws IOException {
        final int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IOException("bad field length in a spec: lengthBytes=" + length + ", left=" + in.remaining());
        }
        final byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String string(final ByteBuffer in) throws IOException {
        final byte[] bytes = bytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
