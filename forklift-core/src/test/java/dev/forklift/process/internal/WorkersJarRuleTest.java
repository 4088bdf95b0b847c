package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which class-path entries a child is launched with ({@link WorkersJar}): a jar with a workers jar beside it that is
 * not older gets the workers jar; directories, other jars, a jar whose workers jar is older, and every entry when the
 * property is {@code false}, stay as planned. No child JVM (the command-line module's {@code WorkersJarTest} runs
 * real commands on a workers jar).
 */
class WorkersJarRuleTest {
    @TempDir
    Path dir;

    @Test
    void aJarWithANewerWorkersJarBesideItIsReplacedOthersStay() throws Exception {
        final Path fat = jar("app.jar", 0);
        final Path workers = jar("app-workers.jar", 10);
        final Path other = jar("lib.jar", 0);
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final String planned = String.join(File.pathSeparator, classes.toString(), fat.toString(), other.toString());

        assertThat(WorkersJar.forLaunch(planned)).isEqualTo(String.join(File.pathSeparator, classes.toString(),
            workers.toString(), other.toString()));
        assertThat(WorkersJar.forLaunch(workers.toString())).isEqualTo(workers.toString());
    }

    @Test
    void aWorkersJarOlderThanItsJarIsNotUsed() throws Exception {
        final Path fat = jar("old.jar", 10);
        jar("old-workers.jar", 0);

        assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(fat.toString());
    }

    @Test
    void thePropertyFalseLeavesTheClassPathAsPlanned() throws Exception {
        final Path fat = jar("off.jar", 0);
        jar("off-workers.jar", 10);
        System.setProperty(WorkersJar.ENABLED_PROPERTY, "false");
        try {
            assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(fat.toString());
        } finally {
            System.clearProperty(WorkersJar.ENABLED_PROPERTY);
        }
        assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(dir.resolve("off-workers.jar").toString());
    }

    private Path jar(final String name, final int secondsLater) throws Exception {
        final Path jar = Files.write(dir.resolve(name), new byte[] {'P', 'K', 5, 6});
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(100).plusSeconds(secondsLater)));
        return jar;
    }
}
