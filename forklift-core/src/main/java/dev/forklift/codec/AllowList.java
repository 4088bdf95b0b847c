package dev.forklift.codec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes the default object codec may encode and decode. Immutable; every {@code allow} method returns a
 * new list. It travels with its queue to child processes.
 *
 * <p>{@link #defaults()} holds the JDK's value types (boxes, {@code String}, big numbers, {@code UUID},
 * {@code java.time} values) and its common collections. Arrays are allowed when their component type is (or is
 * {@code Object}, whose elements are then checked one by one); primitives always are. Anything else must be
 * allowed by name or by package. The check happens before a class is initialised or any object of it is
 * created.
 *
 * @serial exclude
 */
public final class AllowList implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final List<String> DEFAULT_CLASSES = List.of(
        "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
        "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
        "java.lang.Enum", "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID", "java.time.Ser",
        "java.time.Duration", "java.time.Instant", "java.time.LocalDate", "java.time.LocalDateTime",
        "java.time.LocalTime", "java.time.MonthDay", "java.time.OffsetDateTime", "java.time.OffsetTime",
        "java.time.Period", "java.time.Year", "java.time.YearMonth", "java.time.ZonedDateTime",
        "java.time.ZoneId", "java.time.ZoneOffset", "java.time.ZoneRegion",
        "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap",
        "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
        "java.util.TreeSet", "java.util.Arrays$ArrayList", "java.util.CollSer", "java.util.ImmutableCollections$List12",
        "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$Set12",
        "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
        "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
        "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
        "java.util.Collections$UnmodifiableMap", "java.util.Collections$EmptyList",
        "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap", "java.util.Collections$SingletonList",
        "java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap");

    private static final AllowList DEFAULTS = new AllowList(new HashSet<>(DEFAULT_CLASSES), List.of());

    private final Set<String> classNames;
    private final List<String> packagePrefixes;

    private AllowList(final Set<String> classNames, final List<String> packagePrefixes) {
        this.classNames = Collections.unmodifiableSet(classNames);
        this.packagePrefixes = List.copyOf(packagePrefixes);
    }

    /** @return the JDK value types and collections, nothing else. */
    public static AllowList defaults() {
        return DEFAULTS;
    }

    /**
     * @param classes classes to allow in addition to this list's.
     * @return a new list.
     */
    public AllowList allow(final Class<?>... classes) {
        return allowNames(Arrays.stream(classes).map(Class::getName).toArray(String[]::new));
    }

    /**
     * @param names binary class names to allow in addition to this list's, such as {@code com.acme.Order}.
     * @return a new list.
     * @throws IllegalArgumentException if a name is blank.
     */
    public AllowList allowNames(final String... names) {
        final Set<String> merged = new HashSet<>(classNames);
        for (final String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("class name to allow must not be blank: name=" + name);
            }
            merged.add(name);
        }
        return new AllowList(merged, packagePrefixes);
    }

    /**
     * @param packageName a package whose classes (and those of its sub-packages) are allowed, such as
     *                    {@code com.acme.model}.
     * @return a new list.
     * @throws IllegalArgumentException if the name is blank or names a {@code java.}/{@code javax.}/{@code jdk.}/
     *                                  {@code sun.} package, which would open the door to gadget classes.
     */
    public AllowList allowPackage(final String packageName) {
        if (packageName == null || packageName.isBlank() || packageName.matches("(java|javax|jdk|sun|com\\.sun)(\\..*)?")) {
            throw new IllegalArgumentException("package to allow must be a non-blank application package: packageName="
                + packageName);
        }
        final List<String> merged = new ArrayList<>(packagePrefixes);
        merged.add(packageName.endsWith(".") ? packageName : packageName + '.');
        return new AllowList(new HashSet<>(classNames), merged);
    }

    /**
     * @param type a class.
     * @return true if values of this class may be encoded and decoded.
     */
    public boolean isAllowed(final Class<?> type) {
        if (type.isPrimitive()) {
            return true;
        }
        if (type.isArray()) {
            final Class<?> component = type.getComponentType();
            return component == Object.class || isAllowed(component);
        }
        return isAllowedName(type.getName());
    }

    /**
     * @param className a binary class name.
     * @return true if the class with this name is on the list by name or package.
     */
    public boolean isAllowedName(final String className) {
        if (classNames.contains(className)) {
            return true;
        }
        for (final String prefix : packagePrefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param className a binary class name.
     * @return true if it is one of the JDK classes of {@link #defaults()}.
     */
    static boolean isDefaultClassName(final String className) {
        return DEFAULTS.classNames.contains(className);
    }

    /**
     * @return the class names this list allows (the JDK defaults among them), sorted: with
     *         {@link #packagePrefixes()}, enough to make an equal list with {@link #allowNames} and
     *         {@link #allowPackage} in another process.
     */
    public List<String> classNames() {
        final List<String> sorted = new ArrayList<>(classNames);
        Collections.sort(sorted);
        return sorted;
    }

    /** @return the package prefixes this list allows, each ending with '.', in the order they were added. */
    public List<String> packagePrefixes() {
        return packagePrefixes;
    }

    @Override
    public String toString() {
        return "AllowList{classes=" + classNames.size() + ", packages=" + packagePrefixes + '}';
    }
}
