package dev.forklift.process.internal;

import dev.forklift.shm.SharedMemoryDirectory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of a child JVM and starts it.
 *
 * <p>The command line holds nothing secret (every user can read it): the control socket's path, and the parent's
 * pinned shared-memory directory ({@link SharedMemoryDirectory#PINNED_DIR_PROP_NAME}) so that the child uses the
 * same one. The token goes to the child's standard input, a pipe only the child reads: written and closed right
 * after the launch, before the child could read it (see {@link ChildMain}).
 *
 * <p>Internal; not API.
 */
public final class Launcher {
    private Launcher() {
    }

    /** @return the java binary of this JVM. */
    public static String javaBinary() {
        final Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    static List<String> command(final LaunchPlan plan, final ClassDataArchive.Use archive, final Path controlSocket) {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(archive.jvmOptions());
        command.addAll(jvmOptions(plan));
        command.add("-Dforklift.role=" + plan.role());
        command.add("-Dforklift.name=" + plan.name());
        command.add("-D" + SharedMemoryDirectory.PINNED_DIR_PROP_NAME + '=' + SharedMemoryDirectory.current().path());
        for (final Map.Entry<String, String> property : plan.systemProperties().entrySet()) {
            command.add("-D" + property.getKey() + '=' + property.getValue());
        }
        command.add("-cp");
        command.add(WorkersJar.forLaunch(plan.classpath()));
        command.add(ChildMain.class.getName());
        command.add(controlSocket.toString());
        return command;
    }

    /** @return what the child does about the class-data archive (nothing when the plan does not allow it). */
    static ClassDataArchive.Use archiveFor(final LaunchPlan plan) {
        return plan.classDataSharing() ? ClassDataArchive.forLaunch(javaBinary(),
            WorkersJar.forLaunch(plan.classpath()), jvmOptions(plan),
            plan.taskClassName() == null ? "" : plan.taskClassName())
            : ClassDataArchive.Use.NONE;
    }

    /** @return the child's heap and collector defaults ({@link ChildJvmDefaults}), then its own JVM options. */
    private static List<String> jvmOptions(final LaunchPlan plan) {
        final Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.putAll(plan.environment());
        return ChildJvmDefaults.withDefaults(plan.jvmOptions(), environment);
    }

    static Process start(final LaunchPlan plan, final ClassDataArchive.Use archive, final Path controlSocket,
        final String token) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command(plan, archive, controlSocket));
        builder.environment().putAll(plan.environment());
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        final Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
            // A few bytes into an empty pipe: never blocks.
            stdin.write((token + '\n').getBytes(StandardCharsets.US_ASCII));
        } catch (final IOException ex) {
            // The child died at once; its start fails with its own output.
        }
        return process;
    }
}
