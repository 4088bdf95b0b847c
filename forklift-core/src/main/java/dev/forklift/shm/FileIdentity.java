package dev.forklift.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Who this process is and who owns a file, by numeric user id (never by user name: a container's user often has
 * no entry in {@code /etc/passwd}, and names can repeat), and what kind of file an entry is, without following a
 * symbolic link. Package-private helper of {@link SharedMemoryDirectory}; thread-safe; file-system reads only.
 */
final class FileIdentity {
    /** File type bits of {@code st_mode}, and the types Forklift makes. */
    static final int TYPE_MASK = 0170000;
    static final int TYPE_SOCKET = 0140000;
    static final int TYPE_SYMLINK = 0120000;
    static final int TYPE_REGULAR = 0100000;
    static final int TYPE_DIRECTORY = 0040000;
    static final int STICKY_BIT = 01000;

    private static final OptionalLong CURRENT_UID = readCurrentUid();

    private FileIdentity() {
    }

    /** @return the effective user id of this process, or empty where it cannot be told (no {@code unix} view). */
    static OptionalLong currentUid() {
        return CURRENT_UID;
    }

    /**
     * @param path an entry; a symbolic link is described itself, not followed.
     * @return its owner's uid and its full mode (type and permission bits).
     * @throws IOException if it does not exist or cannot be read; {@link UnsupportedOperationException} where the
     *                     file system has no {@code unix} view.
     */
    static Entry describe(final Path path) throws IOException {
        final Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode,ino,dev",
            LinkOption.NOFOLLOW_LINKS);
        return new Entry(((Number) attributes.get("uid")).longValue(), ((Number) attributes.get("mode")).intValue(),
            ((Number) attributes.get("ino")).longValue(), ((Number) attributes.get("dev")).longValue());
    }

    /** One entry of a directory, as {@code lstat} sees it. */
    record Entry(long uid, int mode, long inode, long device) {
        int type() {
            return mode & TYPE_MASK;
        }

        boolean isSymbolicLink() {
            return type() == TYPE_SYMLINK;
        }

        boolean isDirectory() {
            return type() == TYPE_DIRECTORY;
        }

        boolean ownedByCurrentUser() {
            return CURRENT_UID.isPresent() && CURRENT_UID.getAsLong() == uid;
        }

        int permissions() {
            return mode & 0777;
        }

        /** @return true if users other than the owner may create, rename or delete entries in it. */
        boolean othersMayReplaceEntries() {
            return (mode & 0022) != 0 && (mode & STICKY_BIT) == 0;
        }
    }

    /** The effective uid from {@code /proc/self/status}, else the owner of a file this process makes. */
    private static OptionalLong readCurrentUid() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return OptionalLong.of(Long.parseLong(line.split("\\s+")[2]));
                }
            }
        } catch (final IOException | RuntimeException ignored) {
            // Not Linux: ask the file system below.
        }
        Path probe = null;
        try {
            probe = Files.createTempFile("forklift-uid", ".probe");
            return OptionalLong.of(((Number) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .longValue());
        } catch (final IOException | RuntimeException ex) {
            return OptionalLong.empty();
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (final IOException ignored) {
                    // A temporary file of no consequence.
                }
            }
        }
    }
}
