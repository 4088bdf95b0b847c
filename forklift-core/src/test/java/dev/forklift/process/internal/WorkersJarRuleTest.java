package dev.forklift.process.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which class-path entries a child is launched with ({@link WorkersJar}): a jar with a workers jar beside it that is
 * not older and whose manifest names the jar gets the workers jar; a look-alike that does not name it, directories,
 * other jars, a jar whose workers jar is older, and every entry when the property is {@code false}, stay as planned. No child JVM (the command-line module's {@code WorkersJarTest} runs
 * real commands on a workers jar).
 */
class WorkersJarRuleTest {
    @TempDir
    Path dir;

    @Test
    void aJarWithANewerWorkersJarBesideItIsReplacedOthersStay() throws Exception {
        final Path fat = jar("app.jar", 0);
        final Path workers = workersJar("app-workers.jar", "app.jar", 10);
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
        workersJar("old-workers.jar", "old.jar", 0);

        assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(fat.toString());
    }

    @Test
    void thePropertyFalseLeavesTheClassPathAsPlanned() throws Exception {
        final Path fat = jar("off.jar", 0);
        workersJar("off-workers.jar", "off.jar", 10);
        System.setProperty(WorkersJar.ENABLED_PROPERTY, "false");
        try {
            assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(fat.toString());
        } finally {
            System.clearProperty(WorkersJar.ENABLED_PROPERTY);
        }
        assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(dir.resolve("off-workers.jar").toString());
    }

    @Test
    void aLookAlikeWorkersJarThatDoesNotNameTheJarIsNotUsed() throws Exception {
        // A user's app.jar beside an unrelated module's app-workers.jar: the name alone swaps nothing.
        final Path fat = jar("app.jar", 0);
        jar("app-workers.jar", 10);
        final Path other = jar("billing.jar", 0);
        workersJar("billing-workers.jar", "payroll.jar", 10);

        assertThat(WorkersJar.forLaunch(fat.toString())).isEqualTo(fat.toString());
        assertThat(WorkersJar.forLaunch(other.toString())).isEqualTo(other.toString());
    }

    /** A jar with a manifest naming the jar it stands for, as the builds write it. */
    private Path workersJar(final String name, final String standsFor, final int secondsLater) throws Exception {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(WorkersJar.MARKER_ATTRIBUTE, standsFor);
        final Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("dev/forklift/Marker.txt"));
            out.write('x');
            out.closeEntry();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(100).plusSeconds(secondsLater)));
        return jar;
    }

    private Path jar(final String name, final int secondsLater) throws Exception {
        final Path jar = Files.write(dir.resolve(name), new byte[] {'P', 'K', 5, 6});
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(100).plusSeconds(secondsLater)));
        return jar;
    }
}
