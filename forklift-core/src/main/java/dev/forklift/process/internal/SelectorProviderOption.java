package dev.forklift.process.internal;

import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Map;

/**
 * The start-up option that names the JDK's own NIO provider to a child JVM, so that the child does not look for one
 * on its class path. Without it, a JVM's first channel (a child's first UNIX-domain socket, on the way to its first
 * task) asks a {@link java.util.ServiceLoader} for a provider, which opens every jar of the class path and reads its
 * central directory: 25-40 ms of a pool worker's start with a 20 MB jar (docs/benchmarks.md, "Cold worker start:
 * the NIO provider named"). With {@value #PROPERTY} set, the JDK instantiates the named class instead and skips the
 * lookup.
 *
 * <p>The option is added only when this process's own provider is the JDK's (a class of {@code java.base}), which a
 * child started with the same {@code java} finds too; not when this process got one from a service on its class
 * path, not when the child's options or its {@code JAVA_TOOL_OPTIONS} / {@code JDK_JAVA_OPTIONS} name a provider,
 * and not when this process runs with {@value #DISABLE_PROPERTY}{@code =false}. A child's task sees the property set.
 *
 * <p>Called in the parent, on the thread that launches a child. Internal; not API.
 */
public final class SelectorProviderOption {
    /** The JDK's system property naming the NIO provider class. */
    public static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** System property of the parent: {@code false} leaves the provider lookup to each child. */
    public static final String DISABLE_PROPERTY = "forklift.childSelectorProviderOption";

    private SelectorProviderOption() {
    }

    /**
     * @param userOptions the child's own JVM options.
     * @param environment the child's environment.
     * @return {@code -Djava.nio.channels.spi.SelectorProvider=<the JDK's provider class>}, or nothing (see the class
     *         comment).
     */
    public static List<String> forChild(final List<String> userOptions, final Map<String, String> environment) {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"))) {
            return List.of();
        }
        final String option = "-D" + PROPERTY + '=';
        for (final String given : userOptions) {
            if (given.startsWith(option)) {
                return List.of();
            }
        }
        for (final String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            final String value = environment.get(variable);
            if (value != null && value.contains(option)) {
                return List.of();
            }
        }
        final Class<?> provider = SelectorProvider.provider().getClass();
        if (provider.getModule() != Object.class.getModule()) {
            return List.of();
        }
        return List.of(option + provider.getName());
    }
}
