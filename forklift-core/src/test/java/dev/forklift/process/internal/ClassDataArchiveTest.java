package dev.forklift.process.internal;

import dev.forklift.pool.Pool;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ExitStatus;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The class-data archive cache: made once by a child at its exit, then mapped; never used when missing, stale or
 * damaged; and a damaged archive that still passes the checksum does not stop a child from starting.
 */
@ProcessDeadline(seconds = 120)
class ClassDataArchiveTest {
    private static final List<String> BASE_OPTIONS = List.of("-XX:+UseSerialGC", "-Xss512k",
        "-XX:-CreateCoredumpOnCrash");
    private static final Duration JOIN = Duration.ofSeconds(60);
    /** The format children of this JVM get: the AOT cache on JDK 25 and newer, else the dynamic archive. */
    private static final ClassDataArchive.Format FORMAT = ClassDataArchive.format(Launcher.javaBinary());

    @TempDir
    Path temp;
    private String previousDirectory;
    private Path cache;
    private Path jar;
    private List<String> options;

    /** A task that does nothing: the child only starts and exits. */
    public static final class IdleTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        previousDirectory = System.getProperty(ClassDataArchive.DIRECTORY_PROPERTY);
        cache = temp.resolve("cache");
        System.setProperty(ClassDataArchive.DIRECTORY_PROPERTY, cache.toString());
        options = new java.util.ArrayList<>(BASE_OPTIONS);
        options.add("-XX:ErrorFile=" + temp.resolve("hs_err_%p.log"));
        jar = temp.resolve("children.jar");
        writeJar(jar, codeSource(ChildMain.class), codeSource(ClassDataArchiveTest.class));
    }

    @AfterEach
    void tearDown() throws Exception {
        awaitNoTraining(); // a training JVM still writing into the temporary directory would fail its deletion
        if (previousDirectory == null) {
            System.clearProperty(ClassDataArchive.DIRECTORY_PROPERTY);
        } else {
            System.setProperty(ClassDataArchive.DIRECTORY_PROPERTY, previousDirectory);
        }
    }

    @Test
    void theFirstChildMakesTheArchiveAndLaterChildrenMapIt() throws Exception {
        runChild();
        final Path archive = onlyArchive();
        assertThat(ClassDataArchive.sidecarOf(archive)).exists();
        assertThat(Files.readString(ClassDataArchive.sidecarOf(archive)).strip())
            .isEqualTo(ClassDataArchive.describe(archive));
        assertThat(ClassDataArchive.lockOf(archive)).doesNotExist();
        final ClassDataArchive.Use use = ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options);
        assertThat(use.maps()).isTrue();
        assertThat(use.jvmOptions()).containsAll(FORMAT.useOptions(archive));
        runChild();
        assertThat(archive).exists();
    }

    @Test
    void aPoolClosedBeforeItsWorkersRanATaskStillPublishesTheArchiveOneOfThemWrites() throws Exception {
        // The pool's close kills a ready worker that never had a task (no code of the user's ran in it); the worker
        // that writes the archive at its exit must be let exit, or no later pool of the key ever gets one.
        assumeTrue(FORMAT == ClassDataArchive.Format.DYNAMIC_ARCHIVE, "on JDK 25 a training JVM writes the cache");
        try (Pool pool = Pool.builder().name("archive-idle").workers(2).classpath(jar.toString())
            .jvmOptions(options.toArray(new String[0])).build()) {
            assertThat(pool.workerPids()).hasSize(2); // both started, neither given a task
        }
        final Path archive = onlyArchive();
        assertThat(ClassDataArchive.sidecarOf(archive)).exists();
    }

    @Test
    void makingAnArchivePrunesTheOldestOfOtherKeys() throws Exception {
        Files.createDirectories(cache);
        final long now = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            final Path other = Files.writeString(cache.resolve("children-other" + i + FORMAT.suffix()), "x");
            Files.writeString(ClassDataArchive.sidecarOf(other), "1 0\n");
            Files.setLastModifiedTime(other, FileTime.fromMillis(now - (i + 1) * 3_600_000L));
        }
        final Path ancient = Files.writeString(cache.resolve("children-ancient" + FORMAT.suffix()), "x");
        Files.setLastModifiedTime(ancient, FileTime.fromMillis(now - ClassDataArchive.UNUSED_FOR_DELETION.toMillis()
            - 60_000));
        runChild();
        onlyArchiveOtherThan("children-other", "children-ancient");
        assertThat(ancient).doesNotExist();
        for (int i = 0; i < 10; i++) {
            assertThat(cache.resolve("children-other" + i + FORMAT.suffix()).toFile().exists())
                .as("archive %d of another key", i).isEqualTo(i < ClassDataArchive.MAX_OTHER_ARCHIVES);
        }
    }

    @Test
    void aTruncatedOrAlteredArchiveIsDeletedNotUsed() throws Exception {
        runChild();
        final Path archive = onlyArchive();
        final long size = Files.size(archive);
        makeWritable(archive);
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }
        final ClassDataArchive.Use afterTruncation = ClassDataArchive.forLaunch(Launcher.javaBinary(),
            jar.toString(), options);
        assertThat(afterTruncation.maps()).isFalse();
        afterTruncation.launchFailed();
        assertThat(archive).doesNotExist();

        runChild(); // Makes it again.
        final Path again = onlyArchive();
        makeWritable(again);
        try (FileChannel channel = FileChannel.open(again, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), Files.size(again) / 2);
        }
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options).maps()).isFalse();
        assertThat(again).doesNotExist();
        runChild();
    }

    @Test
    void aDamagedArchiveThatPassesTheChecksumDoesNotStopTheChild() throws Exception {
        runChild();
        final Path archive = onlyArchive();
        makeWritable(archive);
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(archive) / 20); // A mapped, truncated archive crashes the JVM.
        }
        Files.writeString(ClassDataArchive.sidecarOf(archive), ClassDataArchive.describe(archive) + "\n",
            StandardCharsets.US_ASCII);
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options).maps()).isTrue();
        // On JDK 17 the first launch dies on the archive, and the child is launched again without it; JDK 25 checks
        // the archive's size itself and starts without it. Either way the child runs, and so does the next one.
        runChild();
        if (Runtime.version().feature() == 17) {
            assertThat(archive).as("the archive a child died on is deleted").doesNotExist();
        }
        runChild();
    }

    @Test
    void anotherJarOrOtherOptionsMeanAnotherArchive() throws Exception {
        final String first = ClassDataArchive.key(Launcher.javaBinary(), jar.toString(), options).orElseThrow();
        assertThat(ClassDataArchive.key(Launcher.javaBinary(), jar.toString(), List.of("-Xmx64m")).orElseThrow())
            .isNotEqualTo(first);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        assertThat(ClassDataArchive.key(Launcher.javaBinary(), jar.toString(), options).orElseThrow())
            .isNotEqualTo(first);
    }

    @Test
    void aDirectoryAfterTheJarsGetsAnArchiveOfTheJarsThatChildrenMap() throws Exception {
        final Path directory = Files.createDirectories(temp.resolve("classes"));
        Files.writeString(directory.resolve("app.properties"), "a non-empty directory\n");
        final String withDirectory = jar + java.io.File.pathSeparator + directory;
        assertThat(ClassDataArchive.leadingJars(withDirectory)).isEqualTo(jar.toString());
        assertThat(ClassDataArchive.leadingJars(directory + java.io.File.pathSeparator + jar)).isEmpty();

        runChild(withDirectory, null); // launched without an archive; a training JVM makes one of the jar
        final Path archive = onlyArchive();
        assertThat(ClassDataArchive.lockOf(archive)).doesNotExist();
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), withDirectory, options).jvmOptions())
            .containsAll(FORMAT.useOptions(archive));

        final Path classLoads = temp.resolve("class-load.log");
        runChild(withDirectory, "-Xlog:class+load:file=" + classLoads);
        assertThat(Files.readAllLines(classLoads)).as("the child's classes come from the archive of the jar")
            .anyMatch(line -> line.contains(" dev.forklift.process.internal.ChildMain source: shared objects file"))
            .anyMatch(line -> line.contains(" " + IdleTask.class.getName() + " source: shared objects file"));
    }

    @Test
    void anArchiveTrainedForAParentThatExitedIsPublishedByTheNextLaunch() throws Exception {
        final Path directory = Files.createDirectories(temp.resolve("classes"));
        Files.writeString(directory.resolve("app.properties"), "a non-empty directory\n");
        final String withDirectory = jar + java.io.File.pathSeparator + directory;
        final String key = ClassDataArchive.key(Launcher.javaBinary(), jar.toString(), options).orElseThrow();
        Files.createDirectories(cache);
        final Path archive = cache.resolve(key + FORMAT.suffix());
        // What the training JVM's shell leaves when its parent is gone: the archive under its "trained" name.
        Files.writeString(ClassDataArchive.trainedOf(archive), "an archive");
        final ClassDataArchive.Use use = ClassDataArchive.forLaunch(Launcher.javaBinary(), withDirectory, options);
        assertThat(use.maps()).isTrue();
        assertThat(archive).hasContent("an archive");
        assertThat(ClassDataArchive.trainedOf(archive)).doesNotExist();
        assertThat(Files.readString(ClassDataArchive.sidecarOf(archive)).strip())
            .isEqualTo(ClassDataArchive.describe(archive));
    }

    @Test
    void noArchiveForAClassPathThatStartsWithADirectoryOrWhenTheOptionsChooseSharing() {
        final String withDirectory = temp + java.io.File.pathSeparator + jar;
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), withDirectory, options).jvmOptions()).isEmpty();
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), List.of("-Xshare:off"))
            .jvmOptions()).isEmpty();
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), temp.resolve("missing.jar").toString(), options)
            .jvmOptions()).isEmpty();
    }

    @Test
    void anUnwritableCacheMeansNoArchiveAndTheChildStillRuns() throws Exception {
        Files.writeString(cache.getParent().resolve("blocker"), "a file, not a directory");
        System.setProperty(ClassDataArchive.DIRECTORY_PROPERTY, cache.getParent().resolve("blocker").resolve("cds")
            .toString());
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options).jvmOptions()).isEmpty();
        runChild();
    }

    @Test
    void theCacheIsMadeOwnerOnlyAndACacheOthersMayWriteIsNotUsed() throws Exception {
        ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(listing(cache)).as("the archive (or its lock, while it is made) is in the cache").isNotEmpty();

        final Path shared = temp.resolve("shared-cache");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        System.setProperty(ClassDataArchive.DIRECTORY_PROPERTY, shared.toString());
        assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options).jvmOptions()).isEmpty();
        assertThat(listing(shared)).as("nothing is written into a cache others may write").isEmpty();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));
        ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options);
        assertThat(listing(shared)).isNotEmpty();
    }

    private static List<Path> listing(final Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    @Test
    void childrenOnJdk25OrNewerGetAnAheadOfTimeCacheUnlessTurnedOff() throws Exception {
        assertThat(FORMAT).isEqualTo(Runtime.version().feature() >= 25 ? ClassDataArchive.Format.AOT_CACHE
            : ClassDataArchive.Format.DYNAMIC_ARCHIVE);
        assertThat(ClassDataArchive.format("/another/java")).isEqualTo(ClassDataArchive.Format.DYNAMIC_ARCHIVE);
        System.setProperty(ClassDataArchive.AOT_PROPERTY, "false");
        try {
            assertThat(ClassDataArchive.format(Launcher.javaBinary()))
                .isEqualTo(ClassDataArchive.Format.DYNAMIC_ARCHIVE);
        } finally {
            System.clearProperty(ClassDataArchive.AOT_PROPERTY);
        }
        if (FORMAT == ClassDataArchive.Format.AOT_CACHE) {
            // No child writes an AOT cache at its exit (the JVM would take a second or more to write it there):
            // the first launch goes without, and a training JVM makes the cache that the next launches map.
            final ClassDataArchive.Use first = ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(),
                options);
            assertThat(first.jvmOptions()).isEmpty();
            final Path archive = onlyArchive();
            final Path classLoads = temp.resolve("class-load.log");
            runChild(jar.toString(), "-Xlog:class+load:file=" + classLoads);
            assertThat(Files.readAllLines(classLoads)).as("the child's classes come from the AOT cache")
                .anyMatch(line -> line.contains(" dev.forklift.process.internal.ChildMain source: shared objects file"));
            assertThat(ClassDataArchive.forLaunch(Launcher.javaBinary(), jar.toString(), options).jvmOptions())
                .contains("-XX:AOTCache=" + archive);
        }
    }

    /**
     * Waits (at most {@link #JOIN}) until no training JVM started by this test JVM is still running: one that writes
     * into the temporary directory after the test would fail its deletion. A lock file alone is no sign of one (a
     * launch decided but never made leaves its lock until it is stale).
     */
    private static void awaitNoTraining() throws Exception {
        final long deadline = System.nanoTime() + JOIN.toNanos();
        while (System.nanoTime() < deadline && ProcessHandle.current().descendants().anyMatch(process -> process
            .info().arguments().map(arguments -> java.util.Arrays.asList(arguments)
                .contains("-Dforklift.role=archive-training")).orElse(false))) {
            Thread.sleep(20);
        }
    }

    private void runChild() throws Exception {
        runChild(jar.toString(), null);
    }

    /** @param toolOptions the child's {@code JAVA_TOOL_OPTIONS} (not part of the archive's key), or null. */
    private void runChild(final String classpath, final String toolOptions) throws Exception {
        final dev.forklift.process.ChildProcessBuilder builder = ChildProcess.builder(IdleTask.class)
            .classpath(classpath).jvmOptions(options.toArray(new String[0]));
        if (toolOptions != null) {
            builder.environment("JAVA_TOOL_OPTIONS", toolOptions);
        }
        try (ChildProcess child = builder.start()) {
            final ExitStatus status = child.joinAndCheck(JOIN);
            assertThat(status.isSuccess()).isTrue();
        }
    }

    private Path onlyArchive() throws IOException {
        return onlyArchiveOtherThan();
    }

    private Path onlyArchiveOtherThan(final String... ignoredPrefixes) throws IOException {
        // The archive is published by the parent once the child's exit is seen, just after join returns: the archive
        // and its sidecar are renamed into place, then the lock is deleted. Publication ends with that deletion, so a
        // check that races it would see the lock of an archive already in place.
        final long deadline = System.nanoTime() + JOIN.toNanos();
        while (true) {
            try (Stream<Path> files = Files.list(cache)) {
                final List<Path> archives = files.filter(f -> f.getFileName().toString().endsWith(FORMAT.suffix())
                    && !f.getFileName().toString().contains(".tmp-")
                    && Stream.of(ignoredPrefixes).noneMatch(f.getFileName().toString()::startsWith)).toList();
                if (archives.size() == 1 && Files.exists(ClassDataArchive.sidecarOf(archives.get(0)))
                    && !Files.exists(ClassDataArchive.lockOf(archives.get(0)))) {
                    return archives.get(0);
                }
                assertThat(archives).hasSizeLessThanOrEqualTo(1);
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void makeWritable(final Path file) {
        assertThat(file.toFile().setWritable(true, true)).isTrue();
    }

    private static Path codeSource(final Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void writeJar(final Path target, final Path... roots) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file)) {
            for (final Path root : roots) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (final Path path : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(new JarEntry(root.relativize(path).toString().replace('\\', '/')));
                        Files.copy(path, out);
                        out.closeEntry();
                    }
                }
            }
        }
    }
}
