package dev.forklift.process;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The main class of a JVM started as {@code mvn exec:java} starts one: its {@code java.class.path} holds only this
 * class (as Maven's holds only its launcher), and the application (the library and {@link IsolatedParent}) comes
 * from a {@link URLClassLoader} made here, which is also the context class loader. Uses only the JDK. Prints
 * {@link IsolatedParent#startHelloChild()}'s result, or {@code failed: } and the message of what it threw.
 */
public final class IsolatedBoot {
    private IsolatedBoot() {
    }

    /**
     * @param args the directories of the application's classes.
     * @throws Exception if the loader cannot be made.
     */
    public static void main(final String[] args) throws Exception {
        final URL[] urls = new URL[args.length];
        for (int i = 0; i < args.length; i++) {
            urls[i] = Path.of(args[i]).toUri().toURL();
        }
        try (URLClassLoader application = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(application);
            final Class<?> parent = application.loadClass("dev.forklift.process.IsolatedParent");
            try {
                System.out.println("result: " + parent.getMethod("startHelloChild").invoke(null));
            } catch (final InvocationTargetException ex) {
                System.out.println("result: failed: " + ex.getCause().getMessage().replace('\n', ' '));
            }
        }
    }
}
