package dev.forklift.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The command-line JVM's part in making the launcher's class-data archive: the {@code forklift} launcher writes the
 * archive at the exit of the first command run with a new jar, so the archive held only that command's classes (a
 * {@code forklift wordcount} after an archive made by {@code forklift run} loaded 45 classes from the jar). On that
 * one run the launcher sets {@value #PROPERTY}{@code =true}, and {@link Main} then loads, without initializing them,
 * every Forklift class of its jar before it exits, so that the archive holds every command's classes (a class
 * loaded only is archived too).
 *
 * <p>Called by {@link Main#main} on its main thread, after the command ran; never throws (a class that cannot be
 * loaded is skipped: the archive is an optimisation only).
 */
final class ArchiveTraining {
    /** System property the launcher sets on the run that writes the archive. */
    static final String PROPERTY = "forklift.cli.archiveTraining";
    /** The classes loaded: Forklift's own, under this prefix of the jar. */
    static final String PREFIX = "dev/forklift/";

    private ArchiveTraining() {
    }

    /** @return true if this JVM writes the launcher's archive at exit. */
    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Loads every Forklift class of the jar {@link Main} came from; nothing when it came from a directory. */
    static void loadForkliftClasses() {
        try {
            final Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar)) {
                loadClasses(jar, Main.class.getClassLoader(), PREFIX);
            }
            // Every command's picocli model, built once: a plain `forklift run` (PlainRun), which may be the command
            // that makes the archive, builds none, and the other commands would then find picocli's classes missing.
            Main.newCommandLine();
        } catch (final URISyntaxException | RuntimeException ex) {
            // The archive then holds what the command loaded, as before.
        }
    }

    /**
     * @param jar    the jar whose classes to load.
     * @param loader the loader to load them with (not initialized).
     * @param prefix the path prefix of the classes in the jar, such as {@value #PREFIX}.
     * @return how many classes were loaded; those that cannot be are skipped.
     */
    static int loadClasses(final Path jar, final ClassLoader loader, final String prefix) {
        int loaded = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (final ZipEntry entry : Collections.list(zip.entries())) {
                final String name = entry.getName();
                if (name.startsWith(prefix) && name.endsWith(".class") && !name.endsWith("-info.class")) {
                    try {
                        Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false,
                            loader);
                        loaded++;
                    } catch (final ClassNotFoundException | LinkageError ex) {
                        // Skipped: an optional dependency missing, or the like.
                    }
                }
            }
        } catch (final IOException ex) {
            // Nothing loaded.
        }
        return loaded;
    }
}
