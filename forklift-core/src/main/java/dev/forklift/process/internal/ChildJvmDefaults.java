package dev.forklift.process.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The heap and garbage-collector options every child JVM (queue children, pool workers, pipeline processes) gets
 * unless its own options choose otherwise: Forklift's defaults, so that a program that tunes nothing runs fast.
 * Why each one, with the figures measured, is in {@code docs/architecture.md} ("Default settings of child
 * JVMs"). Start-up options (class-data sharing, ahead-of-time caches) are decided elsewhere.
 *
 * <p>The defaults: the serial collector ({@value #COLLECTOR}) with a young generation of 16 MB
 * ({@value #YOUNG_GENERATION}). A consumer that takes {@code byte[]} items allocates one array per message; with a
 * fixed, small eden that the collector reuses at the same addresses, those arrays land in memory that is mapped and
 * warm, while the JVM's default (G1 with an adaptive young generation of up to 60 % of a quarter of the RAM) keeps
 * allocating into memory touched for the first time, each page a fault. 16 MB rather than 64 MB: a fresh child
 * touches its whole eden once before the first reuse, and a 13 MB eden is touched four times sooner (and stays
 * closer to the caches) than a 51 MB one, which is what a run timed from its first message pays.
 *
 * <p>A user's options always win: nothing is added when the child's options or its {@code JAVA_TOOL_OPTIONS} /
 * {@code JDK_JAVA_OPTIONS} choose a collector; the young-generation size is left out when they choose any heap or
 * generation size; nothing is added when the parent runs with {@value #DISABLE_PROPERTY}{@code =false}. The
 * defaults come first on the command line, so an option given twice takes the user's value.
 *
 * <p>Called in the parent, on the thread that launches a child. Internal; not API.
 */
public final class ChildJvmDefaults {
    /** System property of the parent: {@code false} launches children with the JVM's own defaults. */
    public static final String DISABLE_PROPERTY = "forklift.childJvmDefaults";
    /** The collector of a child: single-threaded, one eden reused in place (see the class comment). */
    public static final String COLLECTOR = "-XX:+UseSerialGC";
    /** The young generation of a child: fixed and small, so that it stays mapped and warm (see the class comment). */
    public static final String YOUNG_GENERATION = "-Xmn16m";

    /** Options that size the heap or one of its generations: when any is given, the user sized the heap. */
    private static final List<String> HEAP_SIZING_PREFIXES = List.of("-Xmn", "-Xmx", "-Xms", "-XX:NewSize=",
        "-XX:MaxNewSize=", "-XX:NewRatio=", "-XX:MaxHeapSize=", "-XX:InitialHeapSize=", "-XX:MinHeapSize=",
        "-XX:MaxRAM=", "-XX:MaxRAMPercentage=", "-XX:MinRAMPercentage=", "-XX:InitialRAMPercentage=",
        "-XX:MaxRAMFraction=");
    /** An option that chooses a collector, such as {@code -XX:+UseG1GC}: the user chose the collector. */
    private static final java.util.regex.Pattern COLLECTOR_CHOICE = java.util.regex.Pattern.compile(
        "-XX:[+-]Use\\w*GC");

    private ChildJvmDefaults() {
    }

    /**
     * @param userOptions the child's own JVM options, in order.
     * @param environment the child's environment (the parent's plus the child's own variables).
     * @return the defaults followed by the user's options: the command line's JVM options for this child.
     */
    public static List<String> withDefaults(final List<String> userOptions, final Map<String, String> environment) {
        final List<String> options = new ArrayList<>(defaultsFor(userOptions, environment));
        options.addAll(userOptions);
        return List.copyOf(options);
    }

    /**
     * @param userOptions the child's own JVM options.
     * @param environment the child's environment.
     * @return the defaults that apply to this child: none when turned off or when the user chose a collector, the
     *         collector alone when the user sized the heap.
     */
    static List<String> defaultsFor(final List<String> userOptions, final Map<String, String> environment) {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"))) {
            return List.of();
        }
        final List<String> all = new ArrayList<>(userOptions);
        for (final String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            final String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                all.addAll(List.of(value.trim().split("\\s+")));
            }
        }
        boolean heapSized = false;
        for (final String option : all) {
            if (COLLECTOR_CHOICE.matcher(option).matches()) {
                return List.of();
            }
            for (final String prefix : HEAP_SIZING_PREFIXES) {
                heapSized |= option.startsWith(prefix);
            }
        }
        return heapSized ? List.of(COLLECTOR) : List.of(COLLECTOR, YOUNG_GENERATION);
    }
}
