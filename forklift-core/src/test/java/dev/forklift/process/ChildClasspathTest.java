package dev.forklift.process;

import dev.forklift.process.internal.ChildClasspath;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class path of a child JVM when its builder names none, with the parent started as {@code mvn exec:java}
 * starts an application: {@code java.class.path} holds only a launcher and the application comes from a class
 * loader of its own ({@link IsolatedBoot}). The other usual ways (java -jar, java -cp, Surefire) start from
 * {@code java.class.path}, as every other multi-process test does.
 */
@ProcessDeadline(seconds = 90)
class ChildClasspathTest {
    @Test
    void aChildFindsForkliftAndTheTaskWhenTheyAreOnlyOnAUrlClassLoaderAsUnderMavenExecJava(@TempDir final Path dir)
        throws Exception {
        assertThat(runIsolated(dir, List.of())).isEqualTo("result: exitCode=0|hello");
    }

    @Test
    void aForkliftClasspathWithoutForkliftFailsTheStartSayingSoAndWhatToSet(@TempDir final Path dir)
        throws Exception {
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        final String result = runIsolated(dir, List.of("-D" + ChildClasspath.CLASSPATH_PROP_NAME + "=" + empty));
        assertThat(result).startsWith("result: failed: ").contains("does not hold forklift-core: " + empty)
            .contains("PoolBuilder.classpath(...)").contains("-Dforklift.classpath=");
    }

    /** Runs {@link IsolatedBoot} in a JVM whose class path holds only it; returns its result line. */
    private static String runIsolated(final Path dir, final List<String> jvmOptions) throws Exception {
        final Path boot = dir.resolve("boot");
        final String bootClass = IsolatedBoot.class.getName().replace('.', '/') + ".class";
        Files.createDirectories(boot.resolve(bootClass).getParent());
        try (var in = IsolatedBoot.class.getResourceAsStream("/" + bootClass)) {
            Files.write(boot.resolve(bootClass), in.readAllBytes());
        }
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", boot.toString(), IsolatedBoot.class.getName()));
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                command.add(entry); // target/classes and target/test-classes
            }
        }
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return output.lines().filter(line -> line.startsWith("result: ")).findFirst().orElse(output);
    }
}
