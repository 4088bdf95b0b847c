package dev.forklift.cli;

import dev.forklift.process.internal.WorkersJar;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers jar with real JVMs: a fat command-line jar made from this module's class path (every library in it) and,
 * beside it, the workers jar cut from it with the includes of this module's pom (property
 * {@code forklift.workersJar.includes}, what the build's antrun step uses). {@code forklift run} and {@code forklift
 * wordcount} (a pipeline) run from the fat jar: their output is right, and every child JVM runs on the workers jar,
 * loading no class from the fat jar; so the workers jar holds every class those children need. Class-data sharing is
 * off in these children, so that every class they load is read from their class path and named in their class-load
 * log.
 */
@ProcessDeadline(seconds = 180)
class WorkersJarTest {
    @TempDir
    static Path dir;

    private static Path fatJar;
    private static Path workersJar;

    @BeforeAll
    static void makeTheJars() throws Exception {
        fatJar = dir.resolve("forklift-cli.jar");
        workersJar = dir.resolve("forklift-cli" + WorkersJar.WORKERS_SUFFIX);
        writeFatJar(fatJar);
        final List<String> includes = pomIncludes();
        try (ZipFile fat = new ZipFile(fatJar.toFile());
             ZipOutputStream out = new JarOutputStream(Files.newOutputStream(workersJar), workersManifest())) {
            out.setLevel(Deflater.NO_COMPRESSION);
            for (final Enumeration<? extends ZipEntry> entries = fat.entries(); entries.hasMoreElements(); ) {
                final ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && included(entry.getName(), includes)) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream in = fat.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        Files.setLastModifiedTime(workersJar, FileTime.from(Instant.now().plusSeconds(1)));
    }

    /** @return the manifest the build's antrun step gives the workers jar: it names the jar it stands for. */
    private static Manifest workersManifest() {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(WorkersJar.MARKER_ATTRIBUTE, fatJar.getFileName().toString());
        return manifest;
    }

    @Test
    void runsWorkersFindEveryClassInTheWorkersJar() throws Exception {
        final Path input = Files.writeString(dir.resolve("lines.txt"), "alpha\nbeta\ngamma\n");
        final Path testClasses = Path.of(ClassPathEchoTask.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI());
        final Path logs = Files.createDirectories(dir.resolve("run-logs"));
        final List<String> output = cli(logs, "run", "--quiet", "--workers", "2", "--classpath", testClasses.toString(),
            "--task", ClassPathEchoTask.class.getName(), input.toString());

        assertThat(output).hasSize(3);
        for (final String line : output) {
            assertThat(line).matches("(alpha|beta|gamma) .*");
            assertThat(line.substring(line.indexOf(' ') + 1).split(File.pathSeparator))
                .containsExactly(testClasses.toString(), workersJar.toString());
        }
        // The tasks need one worker; on a small machine the second is launched only once the first is ready
        // (staggered start) and may be killed at the close before it loads a class of its own.
        assertChildrenLoadedNothingFromTheFatJar(logs, 1);
    }

    @Test
    void wordcountsPipelineFindsEveryClassInTheWorkersJar() throws Exception {
        final Path first = Files.writeString(dir.resolve("one.txt"), "the cat\nthe dog\n");
        final Path second = Files.writeString(dir.resolve("two.txt"), "a cat\n");
        final Path logs = Files.createDirectories(dir.resolve("wordcount-logs"));
        final List<String> output = cli(logs, "wordcount", "--quiet", first.toString(), second.toString());

        assertThat(String.join("\n", output)).containsPattern("2 +cat").containsPattern("2 +the")
            .contains("6 words (4 distinct) in 2 file(s)");
        assertChildrenLoadedNothingFromTheFatJar(logs, 1);
    }

    /** Runs the command-line Main from the fat jar, each JVM logging the classes it loads into {@code logs}. */
    private static List<String> cli(final Path logs, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Dforklift.cds=false", "-Dforklift.cds.dir=" + dir.resolve("cds"), "-cp", fatJar.toString(),
            Main.class.getName()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + logs + "/%p.log");
        final Process process = builder.start();
        process.getOutputStream().close();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code; stderr: %s", Files.readString(dir.resolve("stderr.txt")))
            .isZero();
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    private static void assertChildrenLoadedNothingFromTheFatJar(final Path logs, final int atLeast)
        throws IOException {
        int children = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (final Path log : files.toList()) {
                final String text = Files.readString(log);
                if (text.contains(Main.class.getName() + " source:")) {
                    continue; // the command's own JVM
                }
                assertThat(text).as("child %s", log.getFileName()).doesNotContain("source: file:" + fatJar);
                if (!text.contains("dev.forklift.process.internal.ChildMain source:")) {
                    continue; // a worker killed at the close while its JVM still booted
                }
                children++;
                assertThat(text).as("child %s", log.getFileName())
                    .contains("dev.forklift.process.internal.ChildMain source: file:" + workersJar);
            }
        }
        assertThat(children).isGreaterThanOrEqualTo(atLeast);
    }

    /** @return the Ant patterns of the pom's {@code forklift.workersJar.includes}. */
    private static List<String> pomIncludes() throws IOException {
        final Matcher matcher = Pattern.compile("<forklift.workersJar.includes>([^<]+)</forklift.workersJar.includes>")
            .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(matcher.find()).as("the pom's forklift.workersJar.includes").isTrue();
        final List<String> includes = List.of(matcher.group(1).trim().split("\\s*,\\s*"));
        for (final String include : includes) {
            assertThat(include).as("a pattern this test can read").matches("[^*]+/\\*\\*|[^*/]+(/[^*/]+)*\\*?");
        }
        return includes;
    }

    /** Ant's {@code dir/**} (everything under dir) and {@code dir/name*} (files in dir whose name starts so). */
    private static boolean included(final String name, final List<String> includes) {
        for (final String include : includes) {
            if (include.endsWith("/**") ? name.startsWith(include.substring(0, include.length() - 2))
                : include.endsWith("*") ? name.startsWith(include.substring(0, include.length() - 1))
                    && name.indexOf('/', include.lastIndexOf('/') + 1) < 0
                : name.equals(include)) {
                return true;
            }
        }
        return false;
    }

    /** The command-line jar as shading makes it: this module's classes and every library of its class path. */
    private static void writeFatJar(final Path jar) throws IOException {
        final Set<String> written = new HashSet<>();
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.setLevel(Deflater.NO_COMPRESSION);
            for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                final Path path = Path.of(entry);
                if (entry.contains("surefire") || path.endsWith("test-classes") || !Files.exists(path)) {
                    continue;
                }
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.walk(path)) {
                        for (final Path file : files.filter(Files::isRegularFile).toList()) {
                            final String name = path.relativize(file).toString().replace(File.separatorChar, '/');
                            if (keep(name) && written.add(name)) {
                                out.putNextEntry(new ZipEntry(name));
                                Files.copy(file, out);
                                out.closeEntry();
                            }
                        }
                    }
                } else {
                    try (ZipFile zip = new ZipFile(path.toFile())) {
                        for (final Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                            final ZipEntry zipEntry = all.nextElement();
                            final String name = zipEntry.getName();
                            if (!zipEntry.isDirectory() && keep(name) && written.add(name)) {
                                out.putNextEntry(new ZipEntry(zipEntry.getName()));
                                try (InputStream in = zip.getInputStream(zipEntry)) {
                                    in.transferTo(out);
                                }
                                out.closeEntry();
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean keep(final String name) {
        return !name.equals("META-INF/MANIFEST.MF") && !name.endsWith("module-info.class")
            && !name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)");
    }
}
