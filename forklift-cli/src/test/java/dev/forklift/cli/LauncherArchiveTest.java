package dev.forklift.cli;

import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code forklift} launcher's class-data archive (an AppCDS archive, or an AOT cache on JDK 25 and newer) with a
 * real launcher and real JVMs, over a stand-in jar in a copy of the repository layout: made on first use and kept
 * beside the jar, used after; a command that fails keeps none; a jar newer than its archive gets a new one; a damaged
 * archive is ignored by the JVM (-Xshare:auto) and the command still runs; FORKLIFT_CDS=0 makes none. Also the JIT
 * choice of the commands whose JVM only coordinates children ({@code run}, {@code wordcount}): C1 only, unless
 * FORKLIFT_JAVA_OPTS, which come last, choose otherwise.
 */
@ProcessDeadline(seconds = 180)
class LauncherArchiveTest {
    @TempDir
    Path root;

    private Path jar;
    private Path target;

    @BeforeEach
    void layOutACheckout() throws Exception {
        Files.copy(Path.of("..", "forklift"), root.resolve("forklift"));
        root.resolve("forklift").toFile().setExecutable(true);
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
        target = Files.createDirectories(root.resolve("forklift-cli").resolve("target"));
        jar = target.resolve("forklift-cli.jar");
        writeJar(jar);
    }

    @Test
    void theFirstRunMakesTheArchiveAndLaterRunsUseIt() throws Exception {
        assertThat(launch(Map.of(), "a", "b")).isEqualTo("hello a b");
        final Path archive = onlyArchive();
        final FileTime made = Files.getLastModifiedTime(archive);
        assertThat(launch(Map.of(), "c")).isEqualTo("hello c");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void theFirstRunOnJdk25OrNewerPrintsOnlyTheCommandsOutputWhileItMakesTheAotCache() throws Exception {
        final Path jdk = jdk25OrNewer();
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk != null,
            "no JDK 25 or newer here (java.home, FORKLIFT_JDK25_HOME, /usr/lib/jvm/*-25-*)");
        final Map<String, String> environment = Map.of("JAVA_HOME", jdk.toString());
        final Result first = runSeparately(environment, "a", "b");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).as("standard output: the command's alone, while the cache's JVMs report their steps")
            .isEqualTo("hello a b\n");
        assertThat(onlyArchive().getFileName().toString()).endsWith(".aot");
        assertThat(leftovers()).isEmpty();
        final Result later = runSeparately(environment, "c");
        assertThat(later.output()).isEqualTo("hello c\n");
    }

    /** @return a JDK of feature version 25 or newer: this test's own, FORKLIFT_JDK25_HOME, or one in /usr/lib/jvm. */
    private static Path jdk25OrNewer() throws IOException {
        if (Runtime.version().feature() >= 25) {
            return Path.of(System.getProperty("java.home"));
        }
        final String named = System.getenv("FORKLIFT_JDK25_HOME");
        if (named != null && Files.isExecutable(Path.of(named, "bin", "java"))) {
            return Path.of(named);
        }
        final Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> home.getFileName().toString().matches(".*-25(-.*)?"))
                .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java"))).sorted().findFirst()
                .orElse(null);
        }
    }

    @Test
    void aFailingFirstRunKeepsNoArchiveAndStillGivesItsExitCode() throws Exception {
        assertThat(run(Map.of(), "fail").exitCode()).isEqualTo(3);
        assertThat(archives()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aJarNewerThanItsArchiveGetsANewOne() throws Exception {
        launch(Map.of(), "x");
        final Path archive = onlyArchive();
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(600)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(300)));
        assertThat(launch(Map.of(), "y")).isEqualTo("hello y");
        assertThat(Files.getLastModifiedTime(onlyArchive()).toInstant()).isAfter(Instant.now().minusSeconds(200));
    }

    @Test
    void aDamagedArchiveIsIgnoredAndTheCommandRuns() throws Exception {
        launch(Map.of(), "x");
        final Path archive = onlyArchive();
        final byte[] garbage = new byte[64 * 1024];
        new java.util.Random(12).nextBytes(garbage);
        Files.write(archive, garbage);
        assertThat(launch(Map.of(), "still")).isEqualTo("hello still");
    }

    @Test
    void helpIsPrintedByTheJarOnceThenFromItsCopyUntilTheJarChanges() throws Exception {
        assertThat(launch(Map.of(), "--help")).isEqualTo("hello --help");
        final Path copy = target.resolve("forklift-cli.help.txt");
        assertThat(copy).hasContent("hello --help");
        Files.writeString(copy, "the copy\n");
        assertThat(launch(Map.of(), "--help")).isEqualTo("the copy");
        assertThat(launch(Map.of("FORKLIFT_HELP_CACHE", "0"), "--help")).isEqualTo("hello --help");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(launch(Map.of(), "-h")).isEqualTo("hello --help"); // -h prints the same help
    }

    @Test
    void theJdksVersionIsLookedUpOnceThenReadWithoutStartingAProcess() throws Exception {
        // A stand-in readlink that notes each call, then does what readlink does.
        final Path bin = Files.createDirectories(root.resolve("bin"));
        final Path calls = root.resolve("readlink-calls.txt");
        final String realReadlink = Files.isExecutable(Path.of("/usr/bin/readlink")) ? "/usr/bin/readlink"
            : "/bin/readlink";
        final Path readlink = Files.writeString(bin.resolve("readlink"), "#!/bin/sh\necho called >> '" + calls
            + "'\nexec " + realReadlink + " \"$@\"\n");
        readlink.toFile().setExecutable(true);
        final Map<String, String> path = Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));

        assertThat(launch(path, "a")).isEqualTo("hello a");
        assertThat(Files.readAllLines(calls)).as("the first run looks the JDK up").hasSize(1);
        final Path archive = onlyArchive();
        assertThat(launch(path, "b")).isEqualTo("hello b");
        assertThat(Files.readAllLines(calls)).as("a later run starts no readlink").hasSize(1);

        // A note naming another java is not believed: the JDK is looked up again, and the same archive used.
        Files.writeString(target.resolve("forklift-cli.java-version"), "/bin/sh\n99.0.1\n");
        assertThat(launch(path, "c")).isEqualTo("hello c");
        assertThat(Files.readAllLines(calls)).hasSize(2);
        assertThat(onlyArchive()).isEqualTo(archive);
        assertThat(launch(path, "d")).isEqualTo("hello d");
        assertThat(Files.readAllLines(calls)).hasSize(2);
    }

    @Test
    void forkliftCdsZeroMakesNoArchive() throws Exception {
        assertThat(launch(Map.of("FORKLIFT_CDS", "0"), "plain")).isEqualTo("hello plain");
        assertThat(archives()).isEmpty();
    }

    @Test
    void aStartupTraceInTheJavaOptionsGetsTheLaunchersOwnStampsBeforeItsJvm() throws Exception {
        final Path trace = root.resolve("stamps.txt");
        assertThat(launch(Map.of("FORKLIFT_JAVA_OPTS", "-Dforklift.startupTrace=" + trace), "x")).isEqualTo("hello x");
        final List<String> lines = Files.readAllLines(trace);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("[0-9]{16} [0-9]+ launcher start");
        assertThat(lines.get(1)).matches("[0-9]{16} [0-9]+ launcher starts java");
        assertThat(Long.parseLong(lines.get(1).split(" ")[0])).isGreaterThanOrEqualTo(
            Long.parseLong(lines.get(0).split(" ")[0]));
        launch(Map.of(), "y");
        assertThat(Files.readAllLines(trace)).as("no stamps without the option").hasSize(2);
    }

    @Test
    void runsParentGetsC1OnlyUnlessTheUsersJavaOptionsChooseOtherwise() throws Exception {
        launch(Map.of(), "first use makes the archive");
        assertThat(launch(Map.of(), "run")).isEqualTo("-XX:TieredStopAtLevel=1");
        assertThat(launch(Map.of("FORKLIFT_JAVA_OPTS", "-XX:TieredStopAtLevel=4"), "run"))
            .isEqualTo("-XX:TieredStopAtLevel=4");
        assertThat(launch(Map.of(), "other")).isEqualTo("hello other");
    }

    @Test
    void onlyWhatGoesIntoTheJarsMakesItStaleNotTheTests() throws Exception {
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        // A stand-in mvn that only says it was called: a stale jar shows as this build failing.
        final Path bin = Files.createDirectories(root.resolve("bin"));
        final Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho 'mvn called' >&2\nexit 1\n");
        mvn.toFile().setExecutable(true);
        final Map<String, String> path = Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        final Path test = root.resolve("forklift-core/src/test/java/dev/forklift/SomeTest.java");
        Files.createDirectories(test.getParent());
        Files.writeString(test, "class SomeTest {}\n");
        assertThat(launch(path, "t")).as("a test edited: the jar holds no test").isEqualTo("hello t");
        final Path source = root.resolve("forklift-core/src/main/java/dev/forklift/Some.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Some {}\n");
        final Result stale = run(path, "m");
        assertThat(stale.output()).as("a main source edited").contains("building forklift-cli.jar", "mvn called");
        assertThat(stale.exitCode()).isEqualTo(1);
    }

    private String launch(final Map<String, String> environment, final String... args) throws Exception {
        final Result result = run(environment, args);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(final Map<String, String> environment, final String... args) throws Exception {
        return run(environment, true, args);
    }

    /** As {@link #run}, with standard output alone in the result (standard error is dropped). */
    private Result runSeparately(final Map<String, String> environment, final String... args) throws Exception {
        return run(environment, false, args);
    }

    /**
     * @param withErrors true for standard error merged into the output, false to drop it.
     * @return the launcher's exit code and output, with this test's JDK unless the environment names another.
     */
    private Result run(final Map<String, String> environment, final boolean withErrors, final String... args)
        throws Exception {
        final List<String> command = new ArrayList<>(List.of("bash", root.resolve("forklift").toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        if (withErrors) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("FORKLIFT_JAVA_OPTS");
        builder.environment().putAll(environment);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private Path onlyArchive() throws IOException {
        final List<Path> archives = archives();
        assertThat(archives).hasSize(1);
        return archives.get(0);
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("forklift-cli\\.jdk-.*\\.(jsa|aot)")).toList();
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().contains(".tmp-")).toList();
        }
    }

    /** A jar whose main prints "hello" and its arguments, or exits 3 when the first is "fail". */
    private void writeJar(final Path file) throws Exception {
        final Path sources = Files.createDirectories(root.resolve("src-hello"));
        final Path source = sources.resolve("Hello.java");
        Files.writeString(source, "public class Hello { public static void main(String[] a) {"
            + " if (a.length > 0 && a[0].equals(\"fail\")) { System.exit(3); }"
            + " if (a.length > 0 && a[0].equals(\"run\")) { String level = \"tiered\";"
            + " for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {"
            + " if (o.startsWith(\"-XX:TieredStopAtLevel=\")) { level = o; } }"
            + " System.out.println(level); return; }"
            + " System.out.println((\"hello \" + String.join(\" \", a)).strip()); } }\n");
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, "--release", "17", "-d", sources.toString(), source.toString()))
            .isZero();
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("Hello.class"));
            jarOut.write(Files.readAllBytes(sources.resolve("Hello.class")));
            jarOut.closeEntry();
        }
    }
}
