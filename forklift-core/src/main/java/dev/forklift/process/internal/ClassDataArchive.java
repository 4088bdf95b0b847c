package dev.forklift.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * A per-user cache of dynamic class-data-sharing archives for child JVMs: the classes a child loads (JDK classes
 * outside the JDK's own archive, Forklift's and the application's) are stored once, already parsed and verified,
 * and later children map them instead of loading them again.
 *
 * <p><b>Two formats.</b> On JDK 17 to 24, a dynamic AppCDS archive ({@code .jsa}, {@link Format#DYNAMIC_ARCHIVE}).
 * When the children run on JDK 25 or newer (this JVM's own java), an ahead-of-time cache ({@code .aot},
 * {@link Format#AOT_CACHE}, JEPs 483, 514 and 515): besides the parsed classes it holds them already linked, the
 * lambda forms and call sites resolved during training, and the method profiles of the training run, so a child
 * also spends less time linking and reaches compiled code sooner. An AOT cache is written by the JVM that exits with
 * {@code -XX:AOTCacheOutput}, in a second JVM it starts then (a second or more), so no child ever writes one: a
 * training JVM always does. The system property {@value #AOT_PROPERTY}{@code =false} keeps the dynamic archive on
 * JDK 25 (to compare the two). Everything below holds for both.
 *
 * <p><b>Key.</b> One archive per (java binary, JVM version, class path with the size and modification time of
 * every jar on it, JVM options). A rebuilt jar or another JDK gives another key, so an archive is never used
 * for classes it was not made from. The archived class path is the class path's leading run of existing jar
 * files: all of it when it is made of jars only; when a directory (or anything else) follows, the jars before it
 * (the JDK refuses to write an archive while a non-empty directory is on the class path, but maps an archive made
 * from a prefix of the class path a JVM runs with). A class path that does not start with a jar gets no archive.
 *
 * <p><b>Life of an archive.</b> When there is none, the first child launched for the key (the one that wins an
 * exclusive lock file) also writes an archive at its exit ({@code -XX:ArchiveClassesAtExit}, to a temporary
 * file); when that child has exited, its parent checks the file, writes a sidecar with its size and CRC32C,
 * and renames both into place. Every other child of that key launches without an archive until then. When the
 * class path has a directory after its jars, or the child is a warm host's spare (which may be stopped by a
 * signal), no child writes it: a training JVM started in the background on the jars alone
 * ({@link #TRAINING_MAIN}, which rehearses a child's start and the task class's {@code warmUp}) writes it, and
 * this process publishes it the same way once that JVM has exited cleanly. Later
 * children get {@code -XX:SharedArchiveFile}, but only after this process has checked the archive against its
 * sidecar (once per archive per process): a truncated or altered archive can crash the JVM that maps it, so
 * one that does not match is deleted and made again. Archives are only ever replaced by renaming, never
 * written in place, so a JVM never maps a half-written one. The JVM's own checks (JVM version, class path,
 * base archive) are left in force with {@code -Xshare:auto}: on a mismatch it runs without the archive. Its
 * messages about the archive are turned off in the child ({@code -Xlog:cds=off}).
 *
 * <p><b>Where.</b> {@code $XDG_CACHE_HOME/forklift/cds}, else {@code ~/.cache/forklift/cds}; the system
 * property {@value #DIRECTORY_PROPERTY} overrides it. The directory is made owner-only ({@code 0700}) and
 * used only while this user owns it and no one else may write into it (an archive is mapped into every child).
 * A cache that cannot be created, written or trusted disables the archive silently. When a new archive is made, archives of other keys unused for {@link #UNUSED_FOR_DELETION}
 * are deleted, and of the rest only the {@link #MAX_OTHER_ARCHIVES} most recently used are kept (every rebuilt
 * jar makes a new key). A used archive's time is refreshed at most once a day.
 *
 * <p>Used in the parent by {@link Launcher} and {@link ChildProcessImpl}; thread-safe. Nothing here throws:
 * every failure means "no archive for this child". Internal; not API.
 */
public final class ClassDataArchive {
    /** System property naming the cache directory. */
    public static final String DIRECTORY_PROPERTY = "forklift.cds.dir";
    /** Archives and sidecars of other keys are deleted after this long unused. */
    public static final Duration UNUSED_FOR_DELETION = Duration.ofDays(7);
    /** Besides the archive just made, at most this many archives (the most recently used) are kept. */
    public static final int MAX_OTHER_ARCHIVES = 7;
    /** A lock file older than this is left over by a dead process and is taken over. */
    static final Duration STALE_LOCK = Duration.ofMinutes(2);
    /** System property: {@code false} gives children on JDK 25 or newer the dynamic archive, not the AOT cache. */
    public static final String AOT_PROPERTY = "forklift.cds.aot";
    private static final String SIDECAR_SUFFIX = ".ok";
    private static final String LOCK_SUFFIX = ".lock";
    private static final String TEMP_MARK = ".tmp-";

    /** The kind of archive a child JVM gets, by its JDK. */
    enum Format {
        /** A dynamic AppCDS archive: JDK 13 and newer. */
        DYNAMIC_ARCHIVE(".jsa", "-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=",
            List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")),
        /** An ahead-of-time cache written in one step at the training JVM's exit: JDK 25 and newer. */
        AOT_CACHE(".aot", "-XX:AOTCache=", "-XX:AOTCacheOutput=", List.of("-Xlog:aot=off", "-Xlog:cds=off"));

        private final String suffix;
        private final String useOption;
        private final String dumpOption;
        private final List<String> quiet;

        Format(final String suffix, final String useOption, final String dumpOption, final List<String> quiet) {
            this.suffix = suffix;
            this.useOption = useOption;
            this.dumpOption = dumpOption;
            this.quiet = quiet;
        }

        /** @return the archive file's suffix. */
        String suffix() {
            return suffix;
        }

        /** @return the options that make a child map {@code archive}. */
        List<String> useOptions(final Path archive) {
            final List<String> options = new ArrayList<>();
            options.add(useOption + archive);
            options.addAll(quiet);
            return List.copyOf(options);
        }

        /** @return the options that make a JVM write its archive to {@code target} at exit. */
        List<String> dumpOptions(final Path target) {
            final List<String> options = new ArrayList<>();
            options.add(dumpOption + target);
            options.addAll(quiet);
            return List.copyOf(options);
        }

        /** @return true if a child may write the archive itself at its exit (quick enough not to delay it). */
        boolean childMayDump() {
            return this == DYNAMIC_ARCHIVE;
        }
    }
    /** The main class of a training JVM: a warm worker that finds its input closed and exits after warming. */
    static final String TRAINING_MAIN = "dev.forklift.process.internal.WarmWorkerMain";
    /** The class file of {@link #TRAINING_MAIN}, looked for in the jars to archive before a training JVM starts. */
    private static final String TRAINING_MAIN_ENTRY = TRAINING_MAIN.replace('.', '/') + ".class";
    /** A training JVM that runs longer than this is killed and nothing is published. */
    static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);
    /** Archives this process has checked against their sidecar, with the size and time they had then. */
    private static final Map<Path, String> CHECKED = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_TEMP = new AtomicInteger();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ClassDataArchive() {
    }

    /**
     * @param javaBinary the child's java.
     * @return the format for children launched with it: the AOT cache when it is this JVM's own java and this JVM
     *     is 25 or newer (and {@value #AOT_PROPERTY} is not {@code false}), else the dynamic archive.
     */
    static Format format(final String javaBinary) {
        if (Runtime.version().feature() >= 25 && !"false".equalsIgnoreCase(System.getProperty(AOT_PROPERTY))
            && javaBinary.equals(Launcher.javaBinary())) {
            return Format.AOT_CACHE;
        }
        return Format.DYNAMIC_ARCHIVE;
    }

    /**
     * What one child launch does about the archive.
     *
     * @param jvmOptions   the options to add to the child's command line (empty: no archive).
     * @param dumpTarget   the temporary file the child writes its archive to at exit, or null.
     * @param archive      the archive's final path (used or to be made), or null.
     */
    public record Use(List<String> jvmOptions, Path dumpTarget, Path archive) {
        /** No archive. */
        static final Use NONE = new Use(List.of(), null, null);

        /**
         * Called in the parent once the child has exited: publishes the archive the child wrote, if it wrote
         * one and exited cleanly (a child that failed or was killed may have left half a file), and releases
         * the lock. Does nothing for a launch that did not dump.
         *
         * @param exitCode the child's exit code.
         */
        public void childExited(final int exitCode) {
            if (dumpTarget != null) {
                if (exitCode == 0) {
                    publish(dumpTarget, archive);
                } else {
                    launchFailed();
                }
            }
        }

        /** @return true if the child was told to map an archive. */
        public boolean maps() {
            return dumpTarget == null && archive != null;
        }

        /**
         * Called when a child that mapped the archive died before it connected back: the archive is suspect, so
         * it is deleted (a later launch makes a new one).
         */
        public void distrust() {
            if (maps()) {
                CHECKED.remove(archive);
                deleteQuietly(sidecarOf(archive));
                deleteQuietly(archive);
            }
        }

        /**
         * Writes this use's archive in a training JVM instead of in the child (which then launches without an
         * archive): started at once, in the background; published by this process when it exits with 0, within
         * {@link #TRAINING_TIMEOUT}. Does nothing for a use that does not dump. Never blocks, never throws.
         *
         * @param javaBinary    the child's java.
         * @param archivedPath  the class path to archive: jars only.
         * @param jvmOptions    the child's JVM options (an archive is only mapped by a JVM with the same ones).
         * @param preloadClasses comma-separated classes the training JVM loads and whose {@code warmUp()} it calls,
         *                      such as the child's task class; may be empty.
         */
        public void train(final String javaBinary, final String archivedPath, final List<String> jvmOptions,
            final String preloadClasses) {
            if (dumpTarget == null) {
                return;
            }
            if (!holdsTrainingMain(archivedPath)) {
                launchFailed(); // nothing of Forklift's to run in the jars: the children go without
                return;
            }
            // Through a shell that renames the archive to its "trained" name once the JVM exited with 0: a parent
            // that exits first (a command-line JVM) does not publish it, and the next launch of the key does.
            final List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "\"$@\" && mv -f \"$FORKLIFT_CDS_DUMPED\" \"$FORKLIFT_CDS_TRAINED\"", "forklift-cds-training"));
            command.add(javaBinary);
            command.addAll(jvmOptions);
            command.addAll(format(javaBinary).dumpOptions(dumpTarget));
            command.add("-Dforklift.role=archive-training");
            command.add("-Dforklift.name=archive-training");
            command.add("-D" + dev.forklift.shm.SharedMemoryDirectory.PINNED_DIR_PROP_NAME + '='
                + dev.forklift.shm.SharedMemoryDirectory.current().path());
            if (preloadClasses != null && !preloadClasses.isBlank()) {
                command.add("-D" + WarmWorkerMain.PRELOAD_PROPERTY + '=' + preloadClasses);
            }
            command.add("-cp");
            command.add(archivedPath);
            command.add(TRAINING_MAIN);
            final Process training;
            try {
                final ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().put("FORKLIFT_CDS_DUMPED", dumpTarget.toString());
                builder.environment().put("FORKLIFT_CDS_TRAINED", trainedOf(archive).toString());
                training = builder.start();
                training.getOutputStream().close(); // its input ends at once: it warms, then exits
            } catch (final IOException | RuntimeException ex) {
                launchFailed();
                return;
            }
            final Thread waiter = new Thread(() -> {
                try {
                    if (training.waitFor(TRAINING_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        if (training.exitValue() == 0) {
                            publish(trainedOf(archive), archive);
                        } else {
                            launchFailed();
                        }
                        return;
                    }
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                training.destroyForcibly();
                launchFailed();
            }, "forklift-cds-training");
            waiter.setDaemon(true);
            waiter.start();
        }

        /** Called when the launch failed before the child ran: releases the lock, deletes any partial file. */
        public void launchFailed() {
            if (dumpTarget != null) {
                deleteQuietly(dumpTarget);
                deleteQuietly(lockOf(archive));
            }
        }
    }

    /**
     * Decides the archive options of one child launch.
     *
     * @param javaBinary the child's java.
     * @param classpath  its class path.
     * @param jvmOptions the options it is launched with.
     * @return what to do; {@link Use#NONE} when the class path does not qualify, the options already choose
     *     class-data sharing, or the cache cannot be used.
     */
    public static Use forLaunch(final String javaBinary, final String classpath, final List<String> jvmOptions) {
        return forLaunch(javaBinary, classpath, jvmOptions, "");
    }

    /**
     * Decides the archive options of one child launch; when the class path has a directory after its jars and no
     * archive of those jars exists yet, starts the training JVM that makes it ({@link Use#train}).
     *
     * @param javaBinary     the child's java.
     * @param classpath      its class path.
     * @param jvmOptions     the options it is launched with.
     * @param preloadClasses the child's task class (or several, comma-separated), for a training JVM to rehearse.
     * @return what to do; {@link Use#NONE} when the class path does not start with a jar, the options already
     *     choose class-data sharing, the cache cannot be used, or the archive is being made elsewhere.
     */
    public static Use forLaunch(final String javaBinary, final String classpath, final List<String> jvmOptions,
        final String preloadClasses) {
        try {
            if (choosesSharingItself(jvmOptions)) {
                return Use.NONE;
            }
            final String archivedPath = leadingJars(classpath);
            final boolean wholeClasspath = archivedPath.equals(classpath);
            if (archivedPath.isEmpty()) {
                return Use.NONE;
            }
            final Optional<String> key = key(javaBinary, archivedPath, jvmOptions);
            if (key.isEmpty()) {
                return Use.NONE;
            }
            final Path directory = directory();
            if (!isPrivateDirectory(directory)) {
                return Use.NONE;
            }
            final Format format = format(javaBinary);
            final Path archive = directory.resolve(key.get() + format.suffix());
            if (!isUsable(archive) && Files.isRegularFile(trainedOf(archive))) {
                publish(trainedOf(archive), archive); // trained for a parent that exited before it was done
            }
            if (isUsable(archive)) {
                touch(archive);
                return new Use(format.useOptions(archive), null, archive);
            }
            if (Files.exists(archive) || !claim(lockOf(archive))) {
                return Use.NONE; // Being published or being made by another child: this one goes without.
            }
            final Path temp = directory.resolve(key.get() + TEMP_MARK + ProcessHandle.current().pid() + "-"
                + NEXT_TEMP.incrementAndGet() + format.suffix());
            final Use dump = new Use(format.dumpOptions(temp), temp, archive);
            if (wholeClasspath && format.childMayDump()) {
                return dump;
            }
            dump.train(javaBinary, archivedPath, jvmOptions, preloadClasses);
            return Use.NONE; // this child goes without; the training JVM makes the archive for the next ones
        } catch (final IOException | RuntimeException ex) {
            return Use.NONE;
        }
    }

    /**
     * Makes the cache directory owner-only if it is new, and accepts it only if this user owns it and nobody else
     * may write into it: an archive is mapped into every child, so a directory another user can write to could
     * hand the children foreign class data.
     *
     * @return true if archives may be kept there.
     */
    static boolean isPrivateDirectory(final Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (final FileAlreadyExistsException raced) {
                // Made by another process meanwhile: checked below like any existing directory.
            }
        }
        final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        final boolean ownedHere = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName()
            .equals(System.getProperty("user.name"));
        return ownedHere && !permissions.contains(PosixFilePermission.GROUP_WRITE)
            && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** @return the cache directory. */
    public static Path directory() {
        final String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("forklift").resolve("cds");
    }

    /**
     * @return the key of an archive for this launch, or empty when the class path has an entry that is not an
     *     existing jar file.
     */
    static Optional<String> key(final String javaBinary, final String classpath, final List<String> jvmOptions)
        throws IOException {
        final StringBuilder text = new StringBuilder();
        text.append(javaBinary).append('\n').append(System.getProperty("java.vm.version")).append('\n');
        for (final String entry : classpath.split(java.io.File.pathSeparator, -1)) {
            final Path jar = Path.of(entry);
            if (entry.isEmpty() || !entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            text.append(jar.toAbsolutePath()).append(' ').append(Files.size(jar)).append(' ')
                .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        jvmOptions.forEach(option -> text.append(option).append('\n'));
        return Optional.of("children-" + keyHash(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @return 96 bits of the key's text, in hex (24 digits): a 64-bit FNV-1a hash and a CRC32C. Not a message
     *     digest: the key only tells configurations apart in this user's private cache, and every archive is
     *     still checked against its sidecar and by the JVM. MessageDigest's SHA-256 started the security
     *     providers first: 30 ms of the command-line JVM before its first child's launch (class-load timeline of
     *     a tiny word count, load 10; docs/benchmarks.md, "Word count over tiny files: the parent's path").
     */
    static String keyHash(final byte[] text) {
        long fnv = 0xcbf29ce484222325L;
        for (final byte b : text) {
            fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
        }
        final CRC32C crc = new CRC32C();
        crc.update(text);
        return HexFormat.of().toHexDigits(fnv) + HexFormat.of().toHexDigits((int) crc.getValue());
    }

    /**
     * @return the class path's leading entries that are existing jar files, joined again; empty when the first
     *     entry is not one.
     */
    static String leadingJars(final String classpath) {
        final StringBuilder jars = new StringBuilder();
        for (final String entry : classpath.split(java.io.File.pathSeparator, -1)) {
            if (entry.isEmpty() || !entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                break;
            }
            jars.append(jars.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
        }
        return jars.toString();
    }

    /** @return true if one of the jars holds the training JVM's main class. */
    private static boolean holdsTrainingMain(final String jars) {
        for (final String entry : jars.split(java.io.File.pathSeparator)) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry)) {
                if (jar.getEntry(TRAINING_MAIN_ENTRY) != null) {
                    return true;
                }
            } catch (final IOException | RuntimeException ignored) {
                // Not a readable jar: look at the next one.
            }
        }
        return false;
    }

    private static boolean choosesSharingItself(final List<String> jvmOptions) {
        for (final String option : jvmOptions) {
            if (option.startsWith("-Xshare") || option.contains("SharedArchiveFile")
                || option.contains("ArchiveClassesAtExit") || option.contains("UseSharedSpaces")
                || option.startsWith("-XX:AOT")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true if the archive exists and matches its sidecar; a mismatching pair is deleted. The checksum is
     *     computed once per archive per process, and again whenever the file's size or time has changed.
     */
    static boolean isUsable(final Path archive) {
        final Path sidecar = sidecarOf(archive);
        if (!Files.isRegularFile(archive) || !Files.isRegularFile(sidecar)) {
            return false;
        }
        try {
            final String stamp = Files.size(archive) + " " + Files.getLastModifiedTime(archive).toMillis();
            if (stamp.equals(CHECKED.get(archive))) {
                return true;
            }
            final String expected = Files.readString(sidecar, StandardCharsets.US_ASCII).strip();
            if (!expected.equals(describe(archive))) {
                CHECKED.remove(archive);
                deleteQuietly(sidecar);
                deleteQuietly(archive);
                return false;
            }
            CHECKED.put(archive, stamp);
            return true;
        } catch (final IOException | RuntimeException ex) {
            return false;
        }
    }

    /** @return "size crc32c" of a file. */
    static String describe(final Path file) throws IOException {
        final CRC32C crc = new CRC32C();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return size + " " + Long.toHexString(crc.getValue());
    }

    private static void publish(final Path temp, final Path archive) {
        final Path lock = lockOf(archive);
        try {
            if (Files.isRegularFile(temp) && Files.size(temp) > 0) {
                final Path sidecarTemp = temp.resolveSibling(temp.getFileName() + SIDECAR_SUFFIX);
                Files.writeString(sidecarTemp, describe(temp) + "\n", StandardCharsets.US_ASCII);
                pruneOthers(archive);
                Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                CHECKED.remove(archive);
                Files.move(sidecarTemp, sidecarOf(archive), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException | RuntimeException ex) {
            // No archive this time; a later launch tries again.
        } finally {
            deleteQuietly(temp);
            deleteQuietly(lock);
        }
    }

    /** @return true if this process now holds the lock (created it, or took over a stale one). */
    private static boolean claim(final Path lock) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(lock);
                return true;
            } catch (final FileAlreadyExistsException ex) {
                try {
                    final Instant modified = Files.getLastModifiedTime(lock).toInstant();
                    if (modified.plus(STALE_LOCK).isAfter(Instant.now())) {
                        return false;
                    }
                    Files.deleteIfExists(lock);
                } catch (final IOException gone) {
                    // Raced with its owner; try once more.
                }
            } catch (final IOException | RuntimeException ex) {
                return false;
            }
        }
        return false;
    }

    private static void pruneOthers(final Path keep) {
        final Instant now = Instant.now();
        final Instant cutoff = now.minus(UNUSED_FOR_DELETION);
        final String keepName = keep.getFileName().toString();
        final String keepKey = keepName.substring(0, keepName.lastIndexOf('.'));
        final List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keep.getParent(), "children-*")) {
            for (final Path file : files) {
                final String name = file.getFileName().toString();
                final Instant modified = Files.getLastModifiedTime(file).toInstant();
                if (name.contains(TEMP_MARK)) {
                    if (modified.isBefore(now.minus(STALE_LOCK))) {
                        deleteQuietly(file);
                    }
                } else if (!name.startsWith(keepKey) && isArchiveName(name)) {
                    if (modified.isBefore(cutoff)) {
                        deleteQuietly(sidecarOf(file));
                        deleteQuietly(file);
                    } else {
                        others.add(file);
                    }
                }
            }
            // Every rebuilt jar makes a new key: keep only the most recently used archives of the others.
            others.sort((a, b) -> lastModified(b).compareTo(lastModified(a)));
            for (final Path stale : others.subList(Math.min(others.size(), MAX_OTHER_ARCHIVES), others.size())) {
                deleteQuietly(sidecarOf(stale));
                deleteQuietly(stale);
            }
        } catch (final IOException | RuntimeException ignored) {
            // Pruning is best effort.
        }
    }

    private static boolean isArchiveName(final String name) {
        for (final Format format : Format.values()) {
            if (name.endsWith(format.suffix())) {
                return true;
            }
        }
        return false;
    }

    private static Instant lastModified(final Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (final IOException ex) {
            return Instant.EPOCH;
        }
    }

    private static void touch(final Path archive) {
        try {
            final FileTime now = FileTime.from(Instant.now());
            if (Files.getLastModifiedTime(archive).toInstant().isBefore(now.toInstant().minus(Duration.ofDays(1)))) {
                Files.setLastModifiedTime(archive, now);
            }
        } catch (final IOException | RuntimeException ignored) {
            // Only pruning looks at it.
        }
    }

    static Path sidecarOf(final Path archive) {
        return archive.resolveSibling(archive.getFileName() + SIDECAR_SUFFIX);
    }

    /** @return where a training JVM's archive is renamed once that JVM exited cleanly, until it is published. */
    static Path trainedOf(final Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".trained");
    }

    static Path lockOf(final Path archive) {
        return archive.resolveSibling(archive.getFileName() + LOCK_SUFFIX);
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException | RuntimeException ignored) {
            // Best effort.
        }
    }
}
