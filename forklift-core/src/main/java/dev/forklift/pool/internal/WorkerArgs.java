package dev.forklift.pool.internal;

import dev.forklift.codec.AllowList;
import dev.forklift.queue.internal.SharedQueue;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool worker's own arguments in a binary layout of their own, written by the master
 * ({@link SharedMemoryTransport}) and read by the worker ({@link WorkerMain}) before it reports ready. They travel as
 * the child's only argument, a {@code byte[]}: a worker's start then decodes no class of the pool through the object
 * stream (each such class costs a fresh JVM a generated serialization constructor, which the JDK 17 class-data
 * archive cannot hold). The queues travel by file and name and are attached on the worker's side; the settings as
 * fixed fields. Internal; not API.
 *
 * <pre>
 * offset  size  field (big-endian)
 *  0      4     magic 0x464B5741 ("FKWA")
 *  4      4     layout version ({@value #VERSION})
 *  8      4     worker id
 * 12      4     maxMessageBytes of the value codec's frames (>= 1)
 * 16      4     maxObjectDepth of the value codec's object codec (>= 1)
 * 20      8     inbox repairAfterNs      28  8  inbox stallTimeoutNs
 * 36      8     results repairAfterNs    44  8  results stallTimeoutNs
 * 52      ...   strings, each an int length (>= 0) then that many UTF-8 bytes, in this order:
 *               inbox file, inbox name, results file, results name, exit marker file
 *         4     n = allow-list class names, then n strings
 *         4     m = allow-list package prefixes, then m strings
 *         4     initializer length, -1 for none, then that many bytes (the serialized initializer)
 *         end   nothing may follow
 * </pre>
 *
 * Both queues must be {@code byte[]} queues with the default wait strategy (the pool's are), which the worker
 * attaches with {@link SharedQueue#attachBytes}.
 *
 * @param inboxPath      the worker's inbox file.
 * @param inboxName      the inbox's name.
 * @param inboxRepairAfterNs  the inbox's repair time.
 * @param inboxStallTimeoutNs the inbox's stall timeout.
 * @param resultsPath    the pool's results queue file.
 * @param resultsName    the results queue's name.
 * @param resultsRepairAfterNs  the results queue's repair time.
 * @param resultsStallTimeoutNs the results queue's stall timeout.
 * @param workerId       the worker's id.
 * @param settings       the value codec's settings and the initializer.
 * @param exitMarker     the worker's exit marker file ({@link WorkerExitMarker}).
 */
public record WorkerArgs(String inboxPath, String inboxName, long inboxRepairAfterNs, long inboxStallTimeoutNs,
    String resultsPath, String resultsName, long resultsRepairAfterNs, long resultsStallTimeoutNs, int workerId,
    WorkerSettings settings, String exitMarker) {
    /** The first four bytes: "FKWA". */
    public static final int MAGIC = 0x464B5741;
    /** The layout version this class writes and reads. */
    public static final int VERSION = 1;
    private static final int FIXED_BYTES = 52;
    /** The longest string or list a layout may hold: far above any real one, far below a bad length's damage. */
    private static final int MAX_COUNT = 1 << 20;

    /**
     * The arguments of one worker, from the master's queues.
     *
     * @param inbox      the worker's inbox, a {@code byte[]} queue with the default wait strategy.
     * @param results    the pool's results queue, likewise.
     * @param workerId   the worker's id.
     * @param settings   the value codec's settings and the initializer.
     * @param exitMarker the worker's exit marker file.
     * @return the arguments.
     * @throws IllegalArgumentException naming the queue when one lives in memory only or waits otherwise.
     */
    public static WorkerArgs of(final SharedQueue<byte[]> inbox, final SharedQueue<byte[]> results,
        final int workerId, final WorkerSettings settings, final String exitMarker) {
        checkQueue(inbox);
        checkQueue(results);
        return new WorkerArgs(inbox.path().toString(), inbox.name(), inbox.timeouts().repairAfterNs(),
            inbox.timeouts().stallTimeoutNs(), results.path().toString(), results.name(),
            results.timeouts().repairAfterNs(), results.timeouts().stallTimeoutNs(), workerId, settings, exitMarker);
    }

    private static void checkQueue(final SharedQueue<byte[]> queue) {
        if (queue.path() == null || !queue.hasDefaultWaitStrategy()) {
            throw new IllegalArgumentException("a worker's queue must be a shared-memory byte[] queue with the"
                + " default wait strategy: queue=" + queue.name());
        }
    }

    /** @return the worker's inbox, attached in this process. */
    public SharedQueue<byte[]> attachInbox() {
        return SharedQueue.attachBytes(Path.of(inboxPath), inboxName, inboxRepairAfterNs, inboxStallTimeoutNs);
    }

    /** @return the pool's results queue, attached in this process. */
    public SharedQueue<byte[]> attachResults() {
        return SharedQueue.attachBytes(Path.of(resultsPath), resultsName, resultsRepairAfterNs,
            resultsStallTimeoutNs);
    }

    /** @return the layout's bytes. */
    public byte[] encode() {
        final List<byte[]> strings = new ArrayList<>();
        for (final String text : new String[] {inboxPath, inboxName, resultsPath, resultsName, exitMarker}) {
            strings.add(text.getBytes(StandardCharsets.UTF_8));
        }
        final List<String> classNames = settings.allowList().classNames();
        final List<String> prefixes = settings.allowList().packagePrefixes();
        final List<byte[]> listed = new ArrayList<>();
        for (final String text : classNames) {
            listed.add(text.getBytes(StandardCharsets.UTF_8));
        }
        for (final String text : prefixes) {
            listed.add(text.getBytes(StandardCharsets.UTF_8));
        }
        final byte[] initializer = settings.initializer();
        int length = FIXED_BYTES + 4 + 4 + 4 + (initializer == null ? 0 : initializer.length);
        for (final byte[] bytes : strings) {
            length += 4 + bytes.length;
        }
        for (final byte[] bytes : listed) {
            length += 4 + bytes.length;
        }
        final ByteBuffer out = ByteBuffer.allocate(length);
        out.putInt(MAGIC).putInt(VERSION).putInt(workerId).putInt(settings.maxMessageBytes())
            .putInt(settings.maxObjectDepth()).putLong(inboxRepairAfterNs).putLong(inboxStallTimeoutNs)
            .putLong(resultsRepairAfterNs).putLong(resultsStallTimeoutNs);
        for (final byte[] bytes : strings) {
            out.putInt(bytes.length).put(bytes);
        }
        out.putInt(classNames.size());
        for (int i = 0; i < classNames.size(); i++) {
            out.putInt(listed.get(i).length).put(listed.get(i));
        }
        out.putInt(prefixes.size());
        for (int i = classNames.size(); i < listed.size(); i++) {
            out.putInt(listed.get(i).length).put(listed.get(i));
        }
        if (initializer == null) {
            out.putInt(-1);
        } else {
            out.putInt(initializer.length).put(initializer);
        }
        return out.array();
    }

    /**
     * Reads a layout written by {@link #encode}.
     *
     * @param bytes the layout.
     * @return the arguments.
     * @throws IllegalArgumentException naming what is wrong (magic, version, a length or count out of range, bytes
     *                                  missing or left over, a bad setting).
     */
    public static WorkerArgs decode(final byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("worker arguments: no bytes");
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            final int magic = in.getInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException("worker arguments: bad magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC));
            }
            final int version = in.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("worker arguments: layout version " + version + ", expected "
                    + VERSION + " (master and worker of different Forklift versions?)");
            }
            final int workerId = in.getInt();
            final int maxMessageBytes = positive(in.getInt(), "maxMessageBytes");
            final int maxObjectDepth = positive(in.getInt(), "maxObjectDepth");
            final long inboxRepair = notNegative(in.getLong(), "inbox repairAfterNs");
            final long inboxStall = notNegative(in.getLong(), "inbox stallTimeoutNs");
            final long resultsRepair = notNegative(in.getLong(), "results repairAfterNs");
            final long resultsStall = notNegative(in.getLong(), "results stallTimeoutNs");
            final String inboxPath = string(in, "inbox file");
            final String inboxName = string(in, "inbox name");
            final String resultsPath = string(in, "results file");
            final String resultsName = string(in, "results name");
            final String exitMarker = string(in, "exit marker");
            final int classCount = count(in, "allow-list class names");
            final String[] classNames = new String[classCount];
            for (int i = 0; i < classCount; i++) {
                classNames[i] = string(in, "allow-list class name " + i);
            }
            final int prefixCount = count(in, "allow-list packages");
            AllowList allowList = AllowList.defaults().allowNames(classNames);
            for (int i = 0; i < prefixCount; i++) {
                allowList = allowList.allowPackage(string(in, "allow-list package " + i));
            }
            final int initializerLength = in.getInt();
            if (initializerLength < -1 || initializerLength > in.remaining()) {
                throw new IllegalArgumentException("worker arguments: initializer length " + initializerLength
                    + " at offset " + (in.position() - 4) + ", " + in.remaining() + " bytes left");
            }
            final byte[] initializer = initializerLength < 0 ? null : new byte[initializerLength];
            if (initializer != null) {
                in.get(initializer);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("worker arguments: " + in.remaining() + " bytes left over at offset "
                    + in.position() + " of " + bytes.length);
            }
            return new WorkerArgs(inboxPath, inboxName, inboxRepair, inboxStall, resultsPath, resultsName,
                resultsRepair, resultsStall, workerId,
                new WorkerSettings(allowList, maxMessageBytes, initializer, maxObjectDepth), exitMarker);
        } catch (final BufferUnderflowException ex) {
            throw new IllegalArgumentException("worker arguments: cut short at offset " + in.position() + " of "
                + bytes.length, ex);
        }
    }

    private static int positive(final int value, final String what) {
        if (value < 1) {
            throw new IllegalArgumentException("worker arguments: " + what + " must be at least 1: " + what + "="
                + value);
        }
        return value;
    }

    private static long notNegative(final long value, final String what) {
        if (value < 0) {
            throw new IllegalArgumentException("worker arguments: " + what + " must not be negative: " + what + "="
                + value);
        }
        return value;
    }

    private static int count(final ByteBuffer in, final String what) {
        final int count = in.getInt();
        if (count < 0 || count > MAX_COUNT || count > in.remaining() / 4) {
            throw new IllegalArgumentException("worker arguments: " + what + " count " + count + " at offset "
                + (in.position() - 4) + " is out of range (" + in.remaining() + " bytes left)");
        }
        return count;
    }

    private static String string(final ByteBuffer in, final String what) {
        final int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("worker arguments: " + what + " length " + length + " at offset "
                + (in.position() - 4) + " is out of range (" + in.remaining() + " bytes left)");
        }
        return new String(bytes(in, length), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final ByteBuffer in, final int length) {
        final byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
