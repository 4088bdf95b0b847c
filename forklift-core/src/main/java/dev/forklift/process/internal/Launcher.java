package dev.forklift.process.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of a child JVM and starts it.
 *
 * <p>Internal; not API.
 */
final class Launcher {
    private Launcher() {
    }

    /** @return the java binary of this JVM. */
    static String javaBinary() {
        final Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    static List<String> command(final LaunchPlan plan, final ClassDataArchive.Use archive, final Path controlSocket,
        final String token) {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(archive.jvmOptions());
        command.addAll(plan.jvmOptions());
        command.add("-Dforklift.role=" + plan.role());
        command.add("-Dforklift.name=" + plan.name());
        for (final Map.Entry<String, String> property : plan.systemProperties().entrySet()) {
            command.add("-D" + property.getKey() + '=' + property.getValue());
        }
        command.add("-cp");
        command.add(plan.classpath());
        command.add(ChildMain.class.getName());
        command.add(controlSocket.toString());
        command.add(token);
        return command;
    }

    /** @return what the child does about the class-data archive (nothing when the plan does not allow it). */
    static ClassDataArchive.Use archiveFor(final LaunchPlan plan) {
        return plan.classDataSharing() ? ClassDataArchive.forLaunch(javaBinary(), plan.classpath(), plan.jvmOptions())
            : ClassDataArchive.Use.NONE;
    }

    static Process start(final LaunchPlan plan, final ClassDataArchive.Use archive, final Path controlSocket,
        final String token) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command(plan, archive, controlSocket, token));
        builder.environment().putAll(plan.environment());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return builder.start();
    }
}
