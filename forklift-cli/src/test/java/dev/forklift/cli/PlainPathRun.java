package dev.forklift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command line run through {@code Main} in a JVM of its own, with one plain path (a command run without picocli's
 * model: {@code PlainRun}, {@code PlainWordCount}) turned on or off by its system property, and a log of the classes
 * that JVM loads: what the plain-path tests compare. Blocks until that JVM ends (at most 60 s).
 *
 * @param exitCode its exit code.
 * @param out      its standard output.
 * @param err      its standard error.
 * @param classes  its class-load log.
 */
public record PlainPathRun(int exitCode, String out, String err, String classes) {
    /**
     * @param dir      where its output and class-load log are written.
     * @param name     the name of those files.
     * @param property the plain path's system property.
     * @param on       the property's value.
     * @param args     the command line.
     * @return what the JVM printed, its exit code and the classes it loaded.
     */
    public static PlainPathRun run(final Path dir, final String name, final String property, final boolean on,
        final String... args) throws Exception {
        final Path out = dir.resolve(name + ".out");
        final Path err = dir.resolve(name + ".err");
        final Path classes = dir.resolve(name + ".classes");
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
            "-Xlog:class+load=info:file=" + classes, "-D" + property + "=" + on,
            "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " ended").isTrue();
        return new PlainPathRun(process.exitValue(), Files.readString(out), Files.readString(err),
            Files.readString(classes));
    }
}
