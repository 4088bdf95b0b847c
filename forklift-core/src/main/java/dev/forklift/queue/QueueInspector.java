package dev.forklift.queue;

import dev.forklift.ForkliftException;
import dev.forklift.queue.internal.QueueDescriptor;
import dev.forklift.shm.AtomicMemory;
import dev.forklift.shm.MappedFile;
import dev.forklift.shm.SharedMemoryDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Reads the headers of every live queue of the current user, from any process (a {@code forklift ps}), without
 * attaching to the queues or touching their state. Never blocks; a queue deleted meanwhile is left out.
 */
public final class QueueInspector {
    private QueueInspector() {
    }

    /**
     * One queue as seen in its header: a snapshot.
     *
     * @param name            the queue's file name part after the owner fields (its name and serial).
     * @param path            its shared-memory file.
     * @param ownerPid        the process that created it.
     * @param capacity        its capacity in items.
     * @param size            items in it now.
     * @param maxMessageBytes its largest message.
     * @param closed          whether its stream was closed.
     * @param puts            slots claimed by producers since it was created (its tail position).
     * @param takes           slots claimed by consumers since it was created (its head position).
     * @param torn            slots published as torn after their producer died (repairs).
     * @param abandoned       slots released after their consumer died (repairs).
     * @param aborted         slots aborted by their producer (an encoding failure).
     */
    public record QueueInfo(String name, Path path, long ownerPid, int capacity, int size, int maxMessageBytes,
                            boolean closed, long puts, long takes, long torn, long abandoned, long aborted) {
    }

    /** @return every live queue of the current user, by owner pid then name. */
    public static List<QueueInfo> snapshot() {
        return snapshot(SharedMemoryDirectory.current());
    }

    /**
     * @param directory the shared-memory directory.
     * @return every live queue in it, by owner pid then name.
     */
    public static List<QueueInfo> snapshot(final SharedMemoryDirectory directory) {
        return snapshot(directory, owner -> true);
    }

    /**
     * @param directory the shared-memory directory.
     * @param ownerPids which owners' queues to read (the others are not even opened).
     * @return every live queue in it of those owners, by owner pid then name.
     */
    public static List<QueueInfo> snapshot(final SharedMemoryDirectory directory, final LongPredicate ownerPids) {
        final List<QueueInfo> queues = new ArrayList<>();
        for (final Path path : directory.liveFiles("queue", ownerPids)) {
            final MappedFile file;
            try {
                file = MappedFile.openPrefix(path, QueueDescriptor.HEADER_LENGTH); // the header only
            } catch (final ForkliftException ex) {
                continue; // Deleted meanwhile.
            }
            try (file) {
                final AtomicMemory buffer = file.buffer();
                if (file.lengthBytes() < QueueDescriptor.HEADER_LENGTH
                    || buffer.getLong(QueueDescriptor.MAGIC_OFFSET) != QueueDescriptor.MAGIC
                    || buffer.getIntAcquire(QueueDescriptor.VERSION_OFFSET) != QueueDescriptor.LAYOUT_VERSION) {
                    continue;
                }
                final int slots = buffer.getInt(QueueDescriptor.SLOT_COUNT_OFFSET);
                final long head = buffer.getLongVolatile(QueueDescriptor.HEAD_OFFSET);
                final long tailWord = buffer.getLongVolatile(QueueDescriptor.TAIL_OFFSET);
                final long tail = tailWord & ~QueueDescriptor.CLOSED_BIT;
                final String fileName = path.getFileName().toString();
                final String[] parts = fileName.split("-", 5);
                final String name = parts.length == 5 ? parts[4].replaceFirst("\\.[^.]*$", "") : fileName;
                queues.add(new QueueInfo(name, path, buffer.getLong(QueueDescriptor.OWNER_PID_OFFSET), slots,
                    (int) Math.max(0, Math.min(slots, tail - head)),
                    buffer.getInt(QueueDescriptor.MAX_MESSAGE_BYTES_OFFSET), (tailWord & QueueDescriptor.CLOSED_BIT) != 0,
                    tail, head, buffer.getLongVolatile(QueueDescriptor.TORN_COUNT_OFFSET),
                    buffer.getLongVolatile(QueueDescriptor.ABANDONED_COUNT_OFFSET),
                    buffer.getLongVolatile(QueueDescriptor.ABORTED_COUNT_OFFSET)));
            }
        }
        queues.sort(Comparator.comparingLong(QueueInfo::ownerPid).thenComparing(QueueInfo::name));
        return queues;
    }
}
