package dev.forklift.shm;

import dev.forklift.ForkliftException;
import dev.forklift.process.ChildProcess;
import dev.forklift.process.ProcessTask;
import dev.forklift.process.TaskContext;
import dev.forklift.queue.Queue;
import dev.forklift.queue.internal.SharedQueue;
import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-user shared-memory directory cannot be redirected or poisoned: a symbolic link in its place is refused
 * (its target is left as it was), stale-file reclaim deletes only this user's own regular files of Forklift's own
 * naming pattern, a directory held by another user makes the process fall back to a private one (and say so), and
 * children use the directory their parent pinned. Parents with their own system properties are fresh JVMs
 * ({@link DirectoryProbeMain}); owners killed with {@code kill -9} are real child JVMs.
 */
@ProcessDeadline(seconds = 120)
class SharedMemoryDirectorySafetyTest {
    private static final String USER_DIR_NAME = "forklift-"
        + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "_");
    private static final String LOOK_ALIKE_NAME = "queue-999999-1-1-x.queue";
    private static final int NOBODY_UID = 65534;

    /** Creates a queue under the base directory in arg 0, writes its path to the file in arg 1, and sleeps. */
    public static final class StaleOwner implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            final Queue<String> queue = Queue.builder(String.class).name("stale")
                .directoryBase(Path.of(context.arg(0, String.class))).build();
            Files.writeString(Path.of(context.arg(1, String.class)), ((SharedQueue<String>) queue).path().toString());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aSymbolicLinkInPlaceOfTheDirectoryIsRefusedAndItsTargetLeftUntouched(@TempDir final Path temp)
        throws Exception {
        final Path base = Files.createDirectory(temp.resolve("base"));
        final Path target = targetWithALookAlike(temp);
        final Path link = Files.createSymbolicLink(base.resolve(USER_DIR_NAME), target);
        final Map<String, String> before = snapshot(target);

        assertThatThrownBy(() -> Queue.builder(String.class).name("refused").directoryBase(base).build())
            .isInstanceOf(ForkliftException.class)
            .hasMessageContaining(link.toString())
            .hasMessageContaining("symbolic link");

        assertThat(snapshot(target)).as("the target's files and modes").isEqualTo(before);
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aSymbolicLinkGivenThroughTheSystemPropertyIsRefusedByAFreshJvmAndItsTargetLeftUntouched(
        @TempDir final Path temp) throws Exception {
        final Path base = Files.createDirectory(temp.resolve("base"));
        final Path target = targetWithALookAlike(temp);
        Files.createSymbolicLink(base.resolve(USER_DIR_NAME), target);
        final Map<String, String> before = snapshot(target);

        final Probe probe = runProbe(base, Map.of());

        assertThat(probe.exitCode).as("probe output: %s", probe.output).isEqualTo(2);
        assertThat(probe.output).contains("symbolic link").contains(base.resolve(USER_DIR_NAME).toString());
        assertThat(snapshot(target)).as("the target's files and modes").isEqualTo(before);
    }

    @Test
    void reclaimDeletesOnlyOwnFilesOfItsOwnPatternWhoseOwnerIsDead(@TempDir final Path temp) throws Exception {
        final Path base = Files.createDirectory(temp.resolve("base"));
        final SharedMemoryDirectory directory = SharedMemoryDirectory.of(base);
        final Path stale = staleFileOfAKilledOwner(base, temp);
        final String staleName = stale.getFileName().toString();
        assertThat(staleName).endsWith("-stale.queue");

        final Path otherPattern = Files.write(directory.path().resolve(LOOK_ALIKE_NAME), new byte[64]);
        final Path directoryOfThePattern = Files.createDirectory(
            directory.path().resolve(staleName.replace("-stale.queue", "-adir.queue")));
        final Path linkOfThePattern = Files.createSymbolicLink(
            directory.path().resolve(staleName.replace("-stale.queue", "-alink.queue")),
            Files.write(temp.resolve("outside.bin"), new byte[8]));
        final List<Path> keep = new ArrayList<>(List.of(otherPattern, directoryOfThePattern, linkOfThePattern));
        if (isRoot()) {
            final Path otherOwner = Files.copy(stale, directory.path().resolve(staleName.replace("-stale.queue",
                "-nobody.queue")));
            Files.setAttribute(otherOwner, "unix:uid", NOBODY_UID);
            keep.add(otherOwner);
        }

        final int deleted = directory.reclaimStale();

        assertThat(Files.exists(stale, LinkOption.NOFOLLOW_LINKS)).as("own stale file reclaimed").isFalse();
        assertThat(deleted).isEqualTo(1);
        assertThat(keep).allSatisfy(path -> assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            .as("left alone: %s", path.getFileName()).isTrue());
        assertThat(temp.resolve("outside.bin")).exists();
    }

    @Test
    void childrenUseTheDirectoryTheirParentPinned(@TempDir final Path temp) throws Exception {
        final Path base = Files.createDirectory(temp.resolve("base"));

        final Probe probe = runProbe(base, Map.of());

        assertThat(probe.exitCode).as("probe output: %s", probe.output).isZero();
        final Path expected = base.toRealPath().resolve(USER_DIR_NAME);
        assertThat(probe.value("parent-dir")).isEqualTo(expected.toString());
        assertThat(probe.value("child-dir")).as("the child's directory").isEqualTo(expected.toString());
        assertThat(Path.of(probe.value("child-queue")).getParent()).isEqualTo(expected);
    }

    @Test
    void aDirectoryHeldByAnotherUserMakesTheProcessFallBackToAPrivateOneAndSayWhich(@TempDir final Path temp)
        throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root to give the directory to another user");
        final Path base = Files.createDirectory(temp.resolve("base"));
        final Path held = Files.createDirectory(base.resolve(USER_DIR_NAME));
        Files.setAttribute(held, "unix:uid", NOBODY_UID);

        final Probe probe = runProbe(base, Map.of());

        assertThat(probe.exitCode).as("probe output: %s", probe.output).isZero();
        final Path fallback = Path.of(probe.value("parent-dir"));
        assertThat(fallback).isNotEqualTo(held);
        assertThat(probe.output).as("the message names the held directory and the fallback")
            .contains(held.toString()).contains(fallback.toString());
        assertThat(probe.value("child-dir")).as("the child's directory").isEqualTo(fallback.toString());
        assertThat(Path.of(probe.value("child-queue")).getParent()).isEqualTo(fallback);
        assertThat(Files.getOwner(held).getName()).isNotEqualTo("root");
    }

    @Test
    void withARuntimeDirectoryTheFallbackIsInsideIt(@TempDir final Path temp) throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root to give the directory to another user");
        final Path base = Files.createDirectory(temp.resolve("base"));
        final Path held = Files.createDirectory(base.resolve(USER_DIR_NAME));
        Files.setAttribute(held, "unix:uid", NOBODY_UID);
        final Path runtime = Files.createDirectory(temp.resolve("runtime"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        final Probe probe = runProbe(base, Map.of("XDG_RUNTIME_DIR", runtime.toString()));

        assertThat(probe.exitCode).as("probe output: %s", probe.output).isZero();
        final Path fallback = Path.of(probe.value("parent-dir"));
        assertThat(fallback.getParent()).isEqualTo(runtime.toRealPath());
        assertThat(probe.value("child-dir")).isEqualTo(fallback.toString());
        assertThat(probe.output).contains(held.toString()).contains(fallback.toString());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Path targetWithALookAlike(final Path temp) throws IOException {
        final Path target = Files.createDirectory(temp.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(target.resolve(LOOK_ALIKE_NAME), new byte[128]);
        Files.writeString(target.resolve("notes.txt"), "the user's own file");
        return target;
    }

    /** @return each entry of the directory (and the directory itself) with its mode, owner and size. */
    private static Map<String, String> snapshot(final Path dir) throws IOException {
        try (Stream<Path> entries = Stream.concat(Stream.of(dir), Files.list(dir))) {
            return entries.collect(Collectors.toMap(path -> path.getFileName().toString(), path -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
                        LinkOption.NOFOLLOW_LINKS)) + " " + Files.getAttribute(path, "unix:uid",
                        LinkOption.NOFOLLOW_LINKS) + " " + Files.size(path);
                } catch (final IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }));
        }
    }

    private static Path staleFileOfAKilledOwner(final Path base, final Path temp) throws Exception {
        final Path pathFile = temp.resolve("stale-path.txt");
        try (ChildProcess owner = ChildProcess.builder(StaleOwner.class).role("stale-owner")
            .args(base.toString(), pathFile.toString()).start()) {
            Await.until(Duration.ofSeconds(30), () -> pathFile.toFile().length() > 0, () -> "queue path published");
            owner.kill();
            assertThat(owner.signal()).hasValue(9);
        }
        final Path stale = Path.of(Files.readString(pathFile));
        assertThat(stale).as("left behind by kill -9").exists();
        return stale;
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("Uid:"))
            .findFirst().map(line -> line.split("\\s+")[2]).orElse("-1").equals("0");
    }

    private static Probe runProbe(final Path base, final Map<String, String> environment) throws Exception {
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Dforklift.shm.dir=" + base, "-cp", System.getProperty("java.class.path"),
            DirectoryProbeMain.class.getName());
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("XDG_RUNTIME_DIR");
        builder.environment().putAll(environment);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished: %s", output).isTrue();
        return new Probe(process.exitValue(), output);
    }

    /** What a probe JVM printed. */
    private record Probe(int exitCode, String output) {
        String value(final String key) {
            return output.lines().map(line -> line.substring(line.indexOf(']') + 1).strip())
                .filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in: " + output));
        }
    }
}
