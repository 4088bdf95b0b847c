package dev.forklift.process.internal;

import dev.forklift.process.ChildStartException;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path a child JVM gets when its builder names none: where this JVM found Forklift and the caller's
 * classes. That is {@code java.class.path} when the application runs from it ({@code java -jar}, {@code java -cp},
 * Surefire), and, when classes come from a {@link URLClassLoader} in front of the application class loader (as
 * under {@code mvn exec:java}, whose {@code java.class.path} holds only Maven's launcher), that loader's files
 * first. The system property {@value #CLASSPATH_PROP_NAME} overrides both for every child of this JVM.
 *
 * <p>When Forklift's own classes come from somewhere a child JVM cannot read as a class path entry (a jar nested
 * in another, as in some fat-jar launchers), {@link #forChild} fails fast with a message naming the location and
 * what to set. Called in the parent by {@code ChildProcessBuilder} when it plans a launch; never blocks.
 *
 * <p>Internal; not API.
 */
public final class ChildClasspath {
    /** System property: the class path of every child of this JVM whose builder names none. */
    public static final String CLASSPATH_PROP_NAME = "forklift.classpath";

    /** What to set, for the messages of a class path that does not work. */
    public static final String HOW_TO_SET = "set it with ChildProcessBuilder.classpath(...) or PoolBuilder"
        + ".classpath(...), or for every child with -D" + CLASSPATH_PROP_NAME + "=<jars and directories>";

    private ChildClasspath() {
    }

    /**
     * @param taskLoader the class loader of the task (or of the caller), or null.
     * @return the class path for a child whose builder named none.
     * @throws ChildStartException if Forklift's classes come from a location a class path cannot hold.
     */
    public static String forChild(final ClassLoader taskLoader) {
        final String configured = System.getProperty(CLASSPATH_PROP_NAME);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        requireFileLocation(ChildClasspath.class);
        final Set<String> entries = new LinkedHashSet<>();
        addUrlLoaderFiles(taskLoader, entries);
        addUrlLoaderFiles(Thread.currentThread().getContextClassLoader(), entries);
        addUrlLoaderFiles(ChildClasspath.class.getClassLoader(), entries);
        return join(entries, System.getProperty("java.class.path", ""));
    }

    /**
     * @param entries  the files of the loaders in front of the application class loader, in order.
     * @param javaPath this JVM's {@code java.class.path}.
     * @return the entries, then those of {@code javaPath} not among them; exactly {@code javaPath} when there are
     * no entries.
     */
    static String join(final Set<String> entries, final String javaPath) {
        if (entries.isEmpty()) {
            return javaPath;
        }
        final Set<String> all = new LinkedHashSet<>(entries);
        for (final String entry : javaPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                all.add(entry);
            }
        }
        return String.join(File.pathSeparator, all);
    }

    /**
     * Adds the files of every {@link URLClassLoader} from {@code loader} up to the application class loader, nearest
     * first; the application class loader itself is {@code java.class.path}.
     */
    static void addUrlLoaderFiles(final ClassLoader loader, final Set<String> entries) {
        final ClassLoader app = ClassLoader.getSystemClassLoader();
        final List<ClassLoader> chain = new ArrayList<>();
        for (ClassLoader current = loader; current != null && current != app
            && current != ClassLoader.getPlatformClassLoader(); current = current.getParent()) {
            chain.add(current);
        }
        for (final ClassLoader current : chain) {
            if (current instanceof URLClassLoader) {
                for (final URL url : ((URLClassLoader) current).getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        entries.add(toPath(url).toString());
                    }
                }
            }
        }
    }

    /**
     * @param type a class the child must load.
     * @throws ChildStartException if it comes from a location a child's class path cannot hold.
     */
    static void requireFileLocation(final Class<?> type) {
        final CodeSource source = type.getProtectionDomain().getCodeSource();
        final URL location = source == null ? null : source.getLocation();
        if (location != null && !"file".equals(location.getProtocol())) {
            throw new ChildStartException("cannot tell the class path of a child JVM: " + type.getName()
                + " was loaded from " + location + ", which a class path cannot hold (a jar inside a jar?); "
                + HOW_TO_SET + ", naming forklift-core and the task classes as plain jars or directories", null);
        }
    }

    private static Path toPath(final URL url) {
        try {
            return Path.of(url.toURI());
        } catch (final URISyntaxException | IllegalArgumentException ex) {
            return Path.of(url.getPath());
        }
    }
}
