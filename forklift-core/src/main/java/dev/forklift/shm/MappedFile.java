package dev.forklift.shm;

import dev.forklift.ForkliftException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file mapped into memory, shared by every process that maps the same path.
 *
 * <p>The creating process owns the file: {@link #close()} there deletes it (processes that have it mapped keep
 * their mapping). In other processes {@code close()} only drops the reference. The mapping itself is released
 * when this object becomes unreachable; it is never unmapped while a thread might still touch it, so a late
 * access can never crash the JVM.
 *
 * <p>Thread-safe. Creating or opening does file I/O and does not block otherwise.
 */
public final class MappedFile implements AutoCloseable {
    /** File stores of the directories files were made in ({@link #fileStore}). */
    private static final java.util.Map<Path, java.nio.file.FileStore> FILE_STORES =
        new ConcurrentHashMap<>();
    /** Largest mapping Forklift makes: one {@link MappedByteBuffer} addresses at most 2 GiB. */
    public static final long MAX_LENGTH_BYTES = 1L << 30;

    private static final int RESERVE_CHUNK_BYTES = 1 << 20;

    private final Path path;
    private final long lengthBytes;
    private final boolean owner;
    private final MappedByteBuffer mapped;
    private final AtomicMemory buffer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MappedFile(final Path path, final long lengthBytes, final boolean owner, final MappedByteBuffer mapped) {
        this.path = path;
        this.lengthBytes = lengthBytes;
        this.owner = owner;
        this.mapped = mapped;
        this.buffer = new AtomicMemory(mapped);
    }

    /**
     * Creates a new owner-only file in the directory, sized and mapped, all bytes zero.
     *
     * @param directory   where the file is made.
     * @param kind        short prefix saying what the file holds, such as {@code queue}.
     * @param name        a human-readable name that becomes part of the file name.
     * @param lengthBytes the size of the file; between 1 and {@link #MAX_LENGTH_BYTES}.
     * @return the mapped file, owned by this process.
     * @throws IllegalArgumentException if the length is out of range.
     * @throws ForkliftException        if the file cannot be made, or the file system lacks the space.
     */
    public static MappedFile create(final SharedMemoryDirectory directory, final String kind, final String name,
        final long lengthBytes) {
        return create(directory, kind, name, lengthBytes, false);
    }

    /**
     * Creates a new owner-only file as {@link #create(SharedMemoryDirectory, String, String, long)} does, and
     * optionally reserves its memory at once.
     *
     * <p>A file is sized when made, but its pages take memory only when first written. Several files that each fit
     * can therefore together overfill a small file system, and the write that finds no free page then fails inside
     * the JVM ({@code InternalError: a fault occurred in an unsafe memory access operation}) at an unpredictable
     * point. With {@code reserve} every page is written here, through the file system, so a lack of room is a
     * clear error now and later writes can never fault; the price is that the whole length takes memory from the
     * start.
     *
     * @param directory   where the file is made.
     * @param kind        short prefix saying what the file holds, such as {@code queue}.
     * @param name        a human-readable name that becomes part of the file name.
     * @param lengthBytes the size of the file; between 1 and {@link #MAX_LENGTH_BYTES}.
     * @param reserve     true to take the file's memory now.
     * @return the mapped file, owned by this process.
     * @throws IllegalArgumentException if the length is out of range.
     * @throws ForkliftException        if the file cannot be made, or the file system lacks the space.
     */
    public static MappedFile create(final SharedMemoryDirectory directory, final String kind, final String name,
        final long lengthBytes, final boolean reserve) {
        if (lengthBytes <= 0 || lengthBytes > MAX_LENGTH_BYTES) {
            throw new IllegalArgumentException("shared-memory file length must be in 1.." + MAX_LENGTH_BYTES
                + ": lengthBytes=" + lengthBytes);
        }
        checkSpace(directory.path(), lengthBytes);
        final Path file = directory.createOwnedFile(kind, name, kind);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
            if (reserve) {
                reserveSpace(channel, file, lengthBytes);
            }
            return new MappedFile(file, lengthBytes, true, channel.map(FileChannel.MapMode.READ_WRITE, 0, lengthBytes));
        } catch (final ForkliftException ex) {
            SharedMemoryDirectory.deleteOwned(file);
            throw ex;
        } catch (final IOException | RuntimeException ex) {
            SharedMemoryDirectory.deleteOwned(file);
            throw new ForkliftException("cannot map shared-memory file " + file + " of " + lengthBytes + " bytes: "
                + ex, ex);
        }
    }

    /**
     * Maps an existing file made by another process (or this one). A symbolic link in the file's place is not
     * followed: the open fails.
     *
     * @param file the path of the file.
     * @return the mapped file, not owned by this process.
     * @throws ForkliftException if the file does not exist or cannot be mapped.
     */
    public static MappedFile open(final Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
            final long length = channel.size();
            if (length <= 0 || length > MAX_LENGTH_BYTES) {
                throw new ForkliftException("shared-memory file " + file + " has a bad length: lengthBytes=" + length);
            }
            return new MappedFile(file, length, false, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
        } catch (final NoSuchFileException ex) {
            throw new ForkliftException("shared-memory file " + file + " does not exist (was it closed by its owner"
                + " or reclaimed after its owner died?)", ex);
        } catch (final IOException ex) {
            throw new ForkliftException("cannot map shared-memory file " + file + ": " + ex, ex);
        }
    }

    /**
     * Maps at most the first {@code maxBytes} of an existing file made by another process (or this one): how an
     * observer reads a header without mapping, and later unmapping, a file of many megabytes. A symbolic link in
     * the file's place is not followed.
     *
     * @param file     the path of the file.
     * @param maxBytes the most bytes to map, at least 1.
     * @return the mapped prefix, not owned by this process; {@link #lengthBytes()} is the length mapped.
     * @throws ForkliftException if the file does not exist or cannot be mapped.
     */
    public static MappedFile openPrefix(final Path file, final long maxBytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
            final long length = Math.min(channel.size(), maxBytes);
            if (length <= 0) {
                throw new ForkliftException("shared-memory file " + file + " is empty");
            }
            return new MappedFile(file, length, false, channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
        } catch (final NoSuchFileException ex) {
            throw new ForkliftException("shared-memory file " + file + " does not exist", ex);
        } catch (final IOException ex) {
            throw new ForkliftException("cannot map shared-memory file " + file + ": " + ex, ex);
        }
    }

    /** @return the path of the file. */
    public Path path() {
        return path;
    }

    /** @return the mapped length in bytes. */
    public long lengthBytes() {
        return lengthBytes;
    }

    /** @return true in the process that created the file. */
    public boolean isOwner() {
        return owner;
    }

    /** @return an atomic view of the whole mapping (volatile, ordered and CAS access). */
    public AtomicMemory buffer() {
        return buffer;
    }

    /** @return a new independent {@link java.nio.ByteBuffer} view of the whole mapping, position 0. */
    public java.nio.ByteBuffer newByteBufferView() {
        return mapped.duplicate();
    }

    /** Deletes the file if this process owns it. Idempotent; never blocks. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && owner) {
            SharedMemoryDirectory.deleteOwned(path);
        }
    }

    /** @return true once {@link #close()} was called in this process. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Writes zeros over the whole length, so that the file system allocates every page now or says it cannot. */
    private static void reserveSpace(final FileChannel channel, final Path file, final long lengthBytes) {
        final ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(lengthBytes, RESERVE_CHUNK_BYTES));
        long written = 0;
        try {
            while (written < lengthBytes) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), lengthBytes - written));
                written += channel.write(zeros, written);
            }
        } catch (final IOException ex) {
            throw new ForkliftException("not enough space in " + file.getParent() + " to reserve a shared-memory file"
                + " of " + lengthBytes + " bytes: reservedBytes=" + written + " (" + ex.getMessage() + "; make the"
                + " queue smaller or set -D" + SharedMemoryDirectory.BASE_DIR_PROP_NAME + ")", ex);
        }
    }

    /**
     * The file store of a directory, looked up once per directory and process: the lookup reads the mount table
     * (about 0.2 ms, more before the JIT has compiled it; a pool makes three queues when it starts), while the
     * usable space is asked of the store afresh on every call.
     */
    private static java.nio.file.FileStore fileStore(final Path dir) throws IOException {
        java.nio.file.FileStore store = FILE_STORES.get(dir);
        if (store == null) {
            store = Files.getFileStore(dir);
            FILE_STORES.put(dir, store);
        }
        return store;
    }

    private static void checkSpace(final Path dir, final long lengthBytes) {
        try {
            final long usable = fileStore(dir).getUsableSpace();
            if (usable < lengthBytes) {
                throw new ForkliftException("not enough space in " + dir + " for a shared-memory file of "
                    + lengthBytes + " bytes: usableBytes=" + usable
                    + " (make the queue smaller or set -D" + SharedMemoryDirectory.BASE_DIR_PROP_NAME + ")");
            }
        } catch (final IOException ignored) {
            // Space unknown: let the mapping itself decide.
        }
    }
}
