package dev.forklift.shm;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared-memory files made by one user cannot be opened by another: the file is 0600 inside a 0700 per-user
 * directory. The second user is {@code nobody}, reached with {@code setpriv} from root; the test is skipped
 * (with the reason) where the build does not run as root. A control run proves that the probe, run as
 * {@code nobody}, does open a file whose mode allows it, so a denial is the permissions' doing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtherUserAccessTest {
    private static final String NOBODY_ID = "65534";

    @BeforeAll
    static void requireRootAndSetpriv() throws IOException {
        final String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(line -> line.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1];
        Assumptions.assumeTrue("0".equals(uid), "needs root to act as a second user; running as uid " + uid);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv");
    }

    @Test
    void shouldDenyAnotherUserTheFileAndTheDirectory() throws Exception {
        final SharedMemoryDirectory directory = SharedMemoryDirectory.current();
        try (MappedFile file = MappedFile.create(directory, "test", "other-user", 4096)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())))
                .isEqualTo("rw-------");
            final List<String> lines = probeAsNobody(file.path(), directory.path());
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("open DENIED")
                .contains("AccessDeniedException"));
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("list DENIED")
                .contains("AccessDeniedException"));
        }
    }

    @Test
    void shouldLetTheProbeOpenAFileWhoseModeAllowsIt(@TempDir final Path temp) throws Exception {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path open = temp.resolve("open.bin");
        Files.write(open, new byte[4096]);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        final List<String> lines = probeAsNobody(open, temp);
        assertThat(lines).contains("open OK 4096", "list OK 1");
    }

    private static List<String> probeAsNobody(final Path file, final Path directory) throws Exception {
        final List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY_ID,
            "--regid=" + NOBODY_ID, "--clear-groups", "--",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xshare:auto",
            "-cp", projectClassPath(), OpenProbe.class.getName(), file.toString(), directory.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("probe finished: %s", output).isTrue();
        assertThat(process.exitValue()).as("probe exit code, output: %s", output).isZero();
        return Arrays.stream(output.split("\n")).map(String::strip).collect(Collectors.toList());
    }

    /** The module's own class directories only: the other user may not read the build user's library cache. */
    private static String projectClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(":"))
            .filter(entry -> entry.endsWith("classes") || entry.endsWith("test-classes"))
            .collect(Collectors.joining(":"));
    }
}
