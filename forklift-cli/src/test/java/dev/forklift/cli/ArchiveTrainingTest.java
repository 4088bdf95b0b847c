package dev.forklift.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ArchiveTraining}, in-process over a jar made here: the run that writes the launcher's class-data archive loads
 * every class under {@code dev/forklift/} (so the archive holds every command's classes, not only those of the command
 * that made it), none outside it, none initialized, and skips one that cannot be loaded.
 */
class ArchiveTrainingTest {
    @TempDir
    Path dir;

    @Test
    void loadsEveryForkliftClassOfTheJarWithoutInitializingAny() throws Exception {
        final Path sources = Files.createDirectories(dir.resolve("src"));
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final Path base = write(sources, "dev/forklift/x/Base.java", "package dev.forklift.x; public class Base {}");
        final Path used = write(sources, "dev/forklift/x/Used.java", "package dev.forklift.x; public class Used extends "
            + "Base { static { if (true) throw new IllegalStateException(\"initialized\"); } }");
        final Path other = write(sources, "other/Other.java", "package other; public class Other {}");
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
            base.toString(), used.toString(), other.toString())).isZero();
        final Path jar = dir.resolve("cli.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (final String name : List.of("dev/forklift/x/Base.class", "dev/forklift/x/Used.class",
                "other/Other.class")) {
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(classes.resolve(name)));
                out.closeEntry();
            }
            // A class file stored under another name (the JVM refuses it): skipped, not fatal.
            out.putNextEntry(new JarEntry("dev/forklift/x/Orphan.class"));
            out.write(Files.readAllBytes(classes.resolve("dev/forklift/x/Used.class")));
            out.closeEntry();
        }
        final List<String> found = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
            ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(final String name) throws ClassNotFoundException {
                found.add(name);
                return super.findClass(name);
            }
        }) {
            assertThat(ArchiveTraining.loadClasses(jar, loader, ArchiveTraining.PREFIX)).isEqualTo(2);
            assertThat(found).contains("dev.forklift.x.Base", "dev.forklift.x.Used").doesNotContain("other.Other");
        }
    }

    private static Path write(final Path root, final String path, final String text) throws Exception {
        final Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
