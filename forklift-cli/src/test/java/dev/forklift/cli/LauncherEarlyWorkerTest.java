package dev.forklift.cli;

import dev.forklift.testing.Await;
import dev.forklift.testing.ProcessDeadline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code forklift run}'s first worker (and {@code forklift wordcount}'s first producer) started by the launcher
 * script before the command's JVM ({@link LauncherRecipe}), with the real launcher, the real command and real child JVMs, in a copy of the repository
 * layout whose {@code forklift-cli.jar} is this module's classes (a jar of a manifest only): the first run notes its
 * worker's command line; the next starts that JVM early and its pool runs in it (its output tagged, its exit code
 * read although no {@code Process} of the JDK started it); a note that does not fit is killed and rewritten; a run
 * that cannot use one starts none; no early JVM outlives its command.
 */
@ProcessDeadline(seconds = 240)
class LauncherEarlyWorkerTest {
    private static final Pattern STARTED = Pattern.compile("launcher started the first child (\\d+)");
    private static final Duration GONE_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private Path recipe;
    private Path input;
    private Path trace;

    @BeforeEach
    void layOutACheckout() throws Exception {
        Files.copy(Path.of("..", "forklift"), root.resolve("forklift"));
        root.resolve("forklift").toFile().setExecutable(true);
        final Path target = Files.createDirectories(root.resolve("forklift-cli").resolve("target"));
        final Path jar = target.resolve("forklift-cli.jar");
        writeManifestJar(jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        recipe = target.resolve("forklift-cli.early-run");
        input = Files.writeString(root.resolve("in.txt"), "alpha\nbeta\ngamma\n");
        trace = root.resolve("trace.txt");
    }

    @Test
    void theFirstRunNotesItsWorkerAndTheNextRunsInTheJvmTheLauncherStarted() throws Exception {
        final Result first = run(Map.of(), "run", "--quiet", "--workers", "2", "--task",
            ScriptedTask.class.getName(), input.toString());
        assertThat(first.out()).as(first.err()).isEqualTo("alpha\nbeta\ngamma\n");
        assertThat(startedEarly()).as("no note yet: nothing started early").isEqualTo(-1);
        final List<String> note = Files.readAllLines(recipe);
        assertThat(note.subList(0, 2)).containsExactly(LauncherRecipe.HEADER, "classpath=");
        assertThat(note.get(note.size() - 1)).isEqualTo("dev.forklift.process.internal.ChildMain");

        final Result second = run(Map.of(), "run", "--workers", "2", "--task", ScriptedTask.class.getName(),
            input.toString(), "--quiet");
        assertThat(second.out()).as(second.err()).isEqualTo("alpha\nbeta\ngamma\n");
        final long early = startedEarly();
        assertThat(early).as("the launcher started the noted JVM").isPositive();
        assertThat(traced()).contains("prelaunch took 1 JVM from the launcher", "prelaunched JVM taken by run-worker-1")
            .doesNotContain("did not fit");
        assertGone(early);
        assertThat(Files.readAllLines(recipe)).as("the note is unchanged").isEqualTo(note);
    }

    @Test
    void theEarlyWorkersOutputIsTaggedAndItsExitCodeReported() throws Exception {
        run(Map.of(), "run", "--quiet", "--workers", "1", "--task", ScriptedTask.class.getName(), input.toString());
        final Path says = Files.writeString(root.resolve("says.txt"), "one\nsay to stderr\ntwo\n");
        final Result said = run(Map.of(), "run", "--quiet", "--workers", "1", "--task",
            ScriptedTask.class.getName(), says.toString());
        final long early = startedEarly();
        assertThat(early).isPositive();
        assertThat(traced()).contains("prelaunched JVM taken by run-worker-1");
        assertThat(said.out()).as(said.err()).isEqualTo("one\nsay to stderr\ntwo\n");
        assertThat(said.err()).as("its System.err, tagged with its name and pid")
            .contains("[run-worker-1 " + early + "] to stderr");
        assertGone(early);

        final Path halts = Files.writeString(root.resolve("halts.txt"), "halt 7\n");
        final Result halted = run(Map.of(), "run", "--quiet", "--workers", "1", "--retries", "0", "--task",
            ScriptedTask.class.getName(), halts.toString());
        final long crashed = startedEarly();
        assertThat(crashed).isPositive();
        assertThat(traced()).contains("prelaunched JVM taken by run-worker-1");
        assertThat(halted.exitCode()).as(halted.err()).isEqualTo(1);
        assertThat(halted.err()).as("its exit code, read from the kernel (it halted: no shutdown hook reported it)")
            .contains("worker 'run-worker-1' (pid " + crashed + ") died running input \"halt 7\": exited with code 7");
        assertGone(crashed);
    }

    @Test
    void aNoteThatDoesNotFitIsKilledAndRewritten() throws Exception {
        run(Map.of(), "run", "--quiet", "--task", ScriptedTask.class.getName(), input.toString());
        final List<String> note = Files.readAllLines(recipe);
        final List<String> stale = new ArrayList<>(note);
        stale.add(stale.size() - 1, "-Dforklift.test.stale=true");
        Files.write(recipe, stale);

        final Result result = run(Map.of(), "run", "--quiet", "--task", ScriptedTask.class.getName(),
            input.toString());
        assertThat(result.out()).as(result.err()).isEqualTo("alpha\nbeta\ngamma\n");
        final long early = startedEarly();
        assertThat(early).isPositive();
        assertThat(traced()).contains("the launcher's JVM did not fit, killed")
            .doesNotContain("prelaunch took 1 JVM from the launcher");
        assertGone(early);
        assertThat(Files.readAllLines(recipe)).as("rewritten").isEqualTo(note);
    }

    @Test
    void aRunThatNotesNothingInPlaceOfAJvmThatDidNotFitDeletesTheNote() throws Exception {
        run(Map.of(), "run", "--quiet", "--task", ScriptedTask.class.getName(), input.toString());
        assertThat(recipe).exists();
        final Map<String, String> off = Map.of("FORKLIFT_JAVA_OPTS", javaOptions() + " -Dforklift.cli.earlyLaunch=false");

        final Result result = run(off, "run", "--quiet", "--task", ScriptedTask.class.getName(), input.toString());
        assertThat(result.out()).as(result.err()).isEqualTo("alpha\nbeta\ngamma\n");
        final long early = startedEarly();
        assertThat(early).isPositive();
        assertThat(traced()).contains("the launcher's JVM did not fit, killed");
        assertGone(early);
        assertThat(recipe).as("no boot wasted on the next run").doesNotExist();

        run(off, "run", "--quiet", "--task", ScriptedTask.class.getName(), input.toString());
        assertThat(startedEarly()).isEqualTo(-1);
    }

    @Test
    void theWordCountsFirstProducerIsStartedByTheLauncherToo() throws Exception {
        final Path first = Files.writeString(root.resolve("a.txt"), "the quick brown fox\n");
        final Path second = Files.writeString(root.resolve("b.txt"), "the lazy dog\n");
        final Path note = recipe.resolveSibling("forklift-cli.early-wordcount");
        final Result made = run(Map.of(), "wordcount", "--quiet", "--top=2", first.toString(), second.toString());
        assertThat(made.out()).as(made.err()).contains("2  the");
        assertThat(startedEarly()).isEqualTo(-1);
        assertThat(Files.readAllLines(note).subList(0, 2)).containsExactly(LauncherRecipe.HEADER, "producers");

        final Result used = run(Map.of(), "wordcount", "--quiet", "--top=2", first.toString(), second.toString());
        assertThat(used.out()).as(used.err()).contains("2  the").contains("7 words (6 distinct) in 2 file(s)");
        final long early = startedEarly();
        assertThat(early).as("the launcher started the noted producer").isPositive();
        assertThat(traced()).contains("prelaunch took 1 JVM from the launcher").doesNotContain("did not fit");
        assertGone(early);

        run(Map.of(), "wordcount", "--quiet", root.toString());
        assertThat(startedEarly()).as("a directory: the word count plans its producers later").isEqualTo(-1);
        run(Map.of(), "wordcount", "--quiet", root.resolve("*.txt").toString());
        assertThat(startedEarly()).as("a pattern").isEqualTo(-1);
        assertThat(note).as("kept: those runs did not start a JVM to discard").exists();
    }

    @Test
    void runsThatCannotUseTheNoteStartNothingEarly() throws Exception {
        run(Map.of(), "run", "--quiet", "--task", ScriptedTask.class.getName(), input.toString());
        assertThat(recipe).exists();

        run(Map.of("FORKLIFT_EARLY_WORKER", "0"), "run", "--quiet", "--task", ScriptedTask.class.getName(),
            input.toString());
        assertThat(startedEarly()).as("turned off").isEqualTo(-1);

        run(Map.of(), "run", "--quiet", "--classpath", root.toString(), "--task", ScriptedTask.class.getName(),
            input.toString());
        assertThat(startedEarly()).as("another --classpath: another key").isEqualTo(-1);

        final Result help = run(Map.of(), "run", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(startedEarly()).as("run --help").isEqualTo(-1);
    }

    private void assertGone(final long pid) {
        Await.until(GONE_WAIT, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
            () -> "the early JVM " + pid + " outlived its command");
    }

    /** @return the pid of the JVM the last run's launcher started early, or -1. */
    private long startedEarly() throws Exception {
        final Matcher matcher = STARTED.matcher(traced());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private String traced() throws Exception {
        return Files.exists(trace) ? Files.readString(trace) : "";
    }

    private record Result(int exitCode, String out, String err) {
    }

    /** Runs the launcher with this test's JDK; each run's start-up stamps replace the last run's. */
    private Result run(final Map<String, String> environment, final String... args) throws Exception {
        Files.deleteIfExists(trace);
        final List<String> command = new ArrayList<>(List.of("bash", root.resolve("forklift").toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        final Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FORKLIFT_BUILD_CHECK", "0");
        env.put("FORKLIFT_CDS", "0");
        final Path noCache = root.resolve("no-cds-cache");
        if (!Files.exists(noCache)) {
            Files.writeString(noCache, "");
        }
        env.put("FORKLIFT_JAVA_OPTS", javaOptions());
        env.putAll(environment);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(env);
        final Path err = root.resolve("err.txt");
        builder.redirectError(err.toFile());
        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, Files.readString(err));
    }

    /**
     * @return the command's JVM options in every run: the start-up stamps, and the children's class-data cache made
     *     unusable (a file where its directory would be), so that every run gives its workers the same command line
     *     and none writes an archive on the first.
     */
    private String javaOptions() {
        return "-Dforklift.startupTrace=" + trace + " -Dforklift.cds.dir=" + root.resolve("no-cds-cache");
    }

    /** A jar of a manifest only: the command's main class, and this test's class path as its Class-Path. */
    private static void writeManifestJar(final Path file) throws Exception {
        final StringBuilder classPath = new StringBuilder();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.append(classPath.length() == 0 ? "" : " ").append(Path.of(entry).toUri());
            }
        }
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }
}
