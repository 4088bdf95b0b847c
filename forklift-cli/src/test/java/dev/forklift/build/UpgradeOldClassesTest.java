package dev.forklift.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line jar's build step (src/build/java, run by the pom's antrun execution after shading) over a copy of
 * the picocli jar this module depends on: every class under {@code picocli/} comes out a Java 8 class file (which
 * JDK 17's class-data sharing archives; Java 5 ones it skips), passes the JVM's verifier with the frames computed,
 * and still parses a command line; entries outside the prefix are copied unchanged. In-process, no child JVM.
 */
class UpgradeOldClassesTest {
    @TempDir
    Path dir;

    @Test
    void picocliComesOutAsVerifiableJava8ClassFiles() throws Exception {
        final Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path jar = dir.resolve("cli.jar");
        Files.copy(original, jar);
        assertThat(majorVersions(jar, "picocli/")).as("picocli as shipped is older than Java 6").contains(49);

        runTool(jar, "picocli/");

        assertThat(majorVersions(jar, "picocli/")).containsOnly(52);
        assertThat(entryNames(jar)).containsExactlyElementsOf(entryNames(original));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
            // Initializing links, and linking a class of a non-boot loader verifies it (with the stack-map frames).
            for (final String name : entryNames(jar)) {
                if (name.startsWith("picocli/") && name.endsWith(".class") && !name.contains("module-info")) {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), true, loader);
                }
            }
            final Class<?> commandLine = Class.forName("picocli.CommandLine", true, loader);
            final Object spec = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader)
                .getMethod("create").invoke(null);
            final Object parser = commandLine.getConstructor(Object.class).newInstance(spec);
            commandLine.getMethod("parseArgs", String[].class).invoke(parser, (Object) new String[0]);
        }
    }

    private void runTool(final Path jar, final String prefix) throws Exception {
        final Path classes = Files.createDirectories(dir.resolve("tool"));
        final Path asm = Path.of(org.objectweb.asm.ClassReader.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI());
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", asm.toString(),
            Path.of("src", "build", "java", "dev", "forklift", "build", "UpgradeOldClasses.java").toString());
        assertThat(status).as("javac of the build step").isZero();
        try (URLClassLoader tool = new URLClassLoader(new URL[] {classes.toUri().toURL(), asm.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
            tool.loadClass("dev.forklift.build.UpgradeOldClasses").getMethod("main", String[].class)
                .invoke(null, (Object) new String[] {jar.toString(), prefix});
        }
    }

    private static List<Integer> majorVersions(final Path jar, final String prefix) throws Exception {
        final List<Integer> versions = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (final ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class")
                    && !entry.getName().contains("module-info")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        final byte[] head = in.readNBytes(8);
                        versions.add(((head[6] & 0xff) << 8) | (head[7] & 0xff));
                    }
                }
            }
        }
        return versions;
    }

    private static List<String> entryNames(final Path jar) throws Exception {
        final List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (final ZipEntry entry : Collections.list(zip.entries())) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
