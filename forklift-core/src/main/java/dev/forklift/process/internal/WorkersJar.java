package dev.forklift.process.internal;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path a child JVM is launched with: its planned class path, with every fat jar {@code NAME.jar} that has
 * a workers jar beside it ({@code NAME-workers.jar}, not older than the jar) replaced by that workers jar.
 *
 * <p>Why: a child JVM reads the central directory of every jar on its class path before its first task (the JDK's
 * service lookups for its first socket's {@code SelectorProvider} and for {@code System.Logger} open every class-path
 * jar), and for the command-line jar (10,367 entries) or the benchmark jar (12,022) that read, with the JIT work its
 * loop brings, was the largest step of a cold worker's own start that Forklift could remove (docs/architecture.md,
 * "A worker's class path: the workers jar"). The builds of {@code forklift-cli} and {@code forklift-bench} write the
 * workers jar next to their shaded jar: Forklift's own classes (every module) and picocli, no third-party library,
 * and a manifest attribute {@value #MARKER_ATTRIBUTE} naming the jar it stands for. A jar is replaced only by a
 * workers jar that says so: a user's {@code app.jar} beside an unrelated {@code app-workers.jar} (a module of that
 * name, say) is left as it is, as is a jar without a workers jar beside it, and a workers jar older than its jar
 * (left over from an earlier build). The system property
 * {@value #ENABLED_PROPERTY}{@code =false} turns the replacement off for every child of this JVM.
 *
 * <p>Applied where the command line of a cold child is built ({@link Launcher}, {@link Prelaunch}); the plan keeps
 * the class path it was given, so prelaunched JVMs are matched to their children by the planned one. Warm hosts
 * start their spares with the class path they were asked for. Called in the parent; results are kept per class
 * path (two file checks per jar and the small workers jar's manifest, once). Never throws. Internal; not API.
 */
public final class WorkersJar {
    /** System property of the parent: {@code false} launches children with their planned class path unchanged. */
    public static final String ENABLED_PROPERTY = "forklift.workersJar";
    /** What a jar's name ends with. */
    static final String JAR_SUFFIX = ".jar";
    /** What the workers jar's name ends with, in place of {@link #JAR_SUFFIX}. */
    public static final String WORKERS_SUFFIX = "-workers.jar";
    /** The workers jar's manifest attribute naming the file name of the jar it stands for. */
    public static final String MARKER_ATTRIBUTE = "Forklift-Workers-Jar-Of";
    private static final Map<String, String> RESOLVED = new ConcurrentHashMap<>();

    private WorkersJar() {
    }

    /**
     * @param classpath a child's planned class path.
     * @return the class path to launch it with: each jar that has a workers jar beside it replaced by that one.
     */
    public static String forLaunch(final String classpath) {
        if (classpath == null || classpath.isEmpty()
            || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return classpath;
        }
        return RESOLVED.computeIfAbsent(classpath, WorkersJar::resolve);
    }

    private static String resolve(final String classpath) {
        final String[] entries = classpath.split(File.pathSeparator, -1);
        boolean changed = false;
        for (int i = 0; i < entries.length; i++) {
            final String workers = workersJarOf(entries[i]);
            if (workers != null) {
                entries[i] = workers;
                changed = true;
            }
        }
        return changed ? String.join(File.pathSeparator, entries) : classpath;
    }

    /**
     * @param entry one class-path entry.
     * @return the workers jar that replaces it, or null: the entry is no jar, has no workers jar beside it, its
     *     workers jar is older than it, or that jar's manifest does not name it ({@value #MARKER_ATTRIBUTE}).
     */
    static String workersJarOf(final String entry) {
        if (!entry.endsWith(JAR_SUFFIX) || entry.endsWith(WORKERS_SUFFIX)) {
            return null;
        }
        final File jar = new File(entry);
        final File workers = new File(entry.substring(0, entry.length() - JAR_SUFFIX.length()) + WORKERS_SUFFIX);
        try {
            if (!workers.isFile() || !jar.isFile() || workers.lastModified() < jar.lastModified()) {
                return null;
            }
        } catch (final SecurityException ex) {
            return null;
        }
        return standsFor(workers, jar.getName()) ? workers.getPath() : null;
    }

    /** @return true when the workers jar's manifest names {@code jarName} as the jar it stands for. */
    private static boolean standsFor(final File workers, final String jarName) {
        try (JarFile jar = new JarFile(workers, false)) {
            final Manifest manifest = jar.getManifest();
            return manifest != null && jarName.equals(manifest.getMainAttributes().getValue(MARKER_ATTRIBUTE));
        } catch (final IOException | SecurityException ex) {
            return false;
        }
    }
}
