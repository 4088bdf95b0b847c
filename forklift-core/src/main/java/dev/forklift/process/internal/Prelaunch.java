package dev.forklift.process.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Child JVMs launched before their children exist: a pool starts its workers' JVMs first thing in its build, and
 * makes its queues, status rows and launch plans while those JVMs boot (on a machine with a spare core, the
 * parent's own set-up then costs the first result nothing). A prelaunched JVM runs {@link ChildMain} without
 * arguments: it boots, then blocks on its standard input for one line, {@code <control socket> <token>}, and from
 * there lives as any launched child (its own pipes for output, its exit code reaped by this process).
 *
 * <p>A prelaunch launches only the JVMs that no earlier, still open prelaunch of the same signature offers: a
 * command line may start its children's JVMs before it has even parsed its options, and the pool or pipeline that
 * it then builds takes those instead of launching more.
 *
 * <p>A launch ({@link ChildProcessImpl#launch}) takes a prelaunched JVM when one was started for exactly its
 * java, class path, role and JVM options, with no system property or environment variable of its own and
 * class-data sharing allowed ({@link #claim}); otherwise it launches as before. A JVM that no launch took is
 * destroyed by {@link #close()} (its input ends, and it exits; it is also killed). A prelaunched JVM whose parent
 * dies sees its input end and exits.
 *
 * <p>A JVM may also be older than this process's prelaunch: the {@code forklift} launcher script starts a command's
 * first child from a note of an earlier run before it starts the command's JVM, which offers it here
 * ({@link #inherit}, {@link InheritedJvm}); a prelaunch takes it in place of a launch when the command line it would
 * launch is exactly that JVM's, and the command kills it otherwise ({@link #discardInherited}).
 *
 * <p>Called in the parent: {@link #start} on the thread that builds a pool, {@link #claim} on launching threads,
 * {@link #close} by the pool once its first workers were started. Thread-safe; never blocks. Internal; not API.
 */
public final class Prelaunch implements AutoCloseable {
    /** Unclaimed JVMs of every prelaunch of this process. */
    private static final ConcurrentLinkedQueue<Jvm> OFFERED = new ConcurrentLinkedQueue<>();
    /** JVMs the launcher script started before this JVM, not matched to a prelaunch yet ({@link #inherit}). */
    private static final ConcurrentLinkedQueue<InheritedJvm> INHERITED = new ConcurrentLinkedQueue<>();
    /** System property of a parent: {@code false} turns prelaunching off. */
    public static final String ENABLED_PROPERTY = "forklift.prelaunch";

    private final List<Jvm> mine;
    /** The first JVM's command line, when another run may start it the same way; else null. */
    private final List<String> repeatable;
    /** How many of {@link #mine} were inherited from the launcher. */
    private final int inheritedCount;

    /**
     * One JVM, its signature, and what it does about the class-data archive: launched here ({@code launched}), or
     * inherited from the launcher script ({@code inherited}); the other is null.
     */
    record Jvm(String signature, Process launched, InheritedJvm inherited, ClassDataArchive.Use archive) {
        /**
         * Identity, as each JVM is one of a kind: a record's own equals (which {@code OFFERED.remove} calls) is linked
         * through {@code ObjectMethods} method handles at its first call, 20-90 ms of the hand-over to the first
         * worker, spun at run time and not in any class-data archive.
         */
        @Override
        public boolean equals(final Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        /** @return the process, as a child handle sees it. */
        OsProcess process() {
            return inherited != null ? inherited : OsProcess.of(launched);
        }

        boolean isAlive() {
            return inherited != null ? inherited.isAlive() : launched.isAlive();
        }

        void discard() {
            if (inherited != null) {
                inherited.destroyForcibly();
            } else {
                launched.destroyForcibly();
            }
            archive.launchFailed();
        }
    }

    private Prelaunch(final List<Jvm> mine, final List<String> repeatable, final int inheritedCount) {
        this.mine = mine;
        this.repeatable = repeatable;
        this.inheritedCount = inheritedCount;
    }

    /**
     * Launches {@code count} JVMs for children of one role; launches nothing when turned off
     * ({@value #ENABLED_PROPERTY}{@code =false}) or when a JVM cannot be started (the launch does it later).
     *
     * @param count      how many.
     * @param role       the children's role.
     * @param classpath  their class path, or null for the one {@link dev.forklift.process.ChildProcessBuilder} gives
     *                   a child by default (from this thread's context class loader).
     * @param jvmOptions their JVM options, without Forklift's defaults.
     * @param taskClass  the task class they will run (rehearsed by a class-data training JVM, if one is started).
     * @return the prelaunch; close it once the children were started.
     */
    public static Prelaunch start(final int count, final String role, final String classpath,
        final List<String> jvmOptions, final String taskClass) {
        final List<Jvm> started = new ArrayList<>();
        if (count <= 0 || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"))) {
            return new Prelaunch(started, null, 0);
        }
        List<String> repeatable = null;
        int adopted = 0;
        try {
            final String path = classpath != null ? classpath
                : ChildClasspath.forChild(Thread.currentThread().getContextClassLoader());
            final String signature = signature(role, path, jvmOptions);
            final String launchPath = WorkersJar.forLaunch(path);
            final List<String> options = ChildJvmDefaults.withDefaults(jvmOptions, System.getenv());
            // JVMs an earlier prelaunch started for the same children (such as the command line's, before it parsed
            // its options) count: only the rest is launched.
            final int missing = count - offered(signature);
            ClassDataArchive.Use previous = null;
            for (int i = 0; i < missing; i++) {
                // The same key for every JVM of this prelaunch: a use that only maps an archive (or maps none) holds
                // no state of its own, so the next JVM takes it without the key, the cache's checks and the archive's
                // touch again; a use that writes an archive is one JVM's alone.
                final ClassDataArchive.Use archive = previous != null && previous.dumpTarget() == null ? previous
                    : ClassDataArchive.forLaunch(Launcher.javaBinary(), launchPath, options, taskClass);
                previous = archive;
                final List<String> command = new ArrayList<>();
                command.add(Launcher.javaBinary());
                command.addAll(archive.jvmOptions());
                command.addAll(options);
                command.add("-Dforklift.role=" + role);
                command.add("-Dforklift.name=" + role + "-prelaunched");
                command.add("-D" + dev.forklift.shm.SharedMemoryDirectory.PINNED_DIR_PROP_NAME + '='
                    + dev.forklift.shm.SharedMemoryDirectory.current().path());
                command.add("-cp");
                command.add(launchPath);
                command.add(ChildMain.class.getName());
                if (i == 0 && archive.dumpTarget() == null) {
                    repeatable = List.copyOf(command);
                }
                final InheritedJvm inherited = takeInherited(command);
                final Jvm jvm;
                if (inherited != null) {
                    jvm = new Jvm(signature, null, inherited, archive);
                    adopted++;
                } else {
                    final Process process;
                    try {
                        process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
                    } catch (final IOException ex) {
                        archive.launchFailed();
                        break;
                    }
                    jvm = new Jvm(signature, process, null, archive);
                }
                started.add(jvm);
                OFFERED.add(jvm);
            }
        } catch (final RuntimeException ex) {
            // Prelaunching is an optimisation only: the launches do it the usual way.
        }
        if (adopted > 0) {
            StartupTrace.stamp("prelaunch took " + adopted + " JVM from the launcher");
        }
        StartupTrace.stamp("prelaunched " + started.size() + " " + role);
        return new Prelaunch(started, repeatable, adopted);
    }

    /**
     * @param plan a child about to be launched.
     * @return an unclaimed prelaunched JVM that fits the plan, now the caller's, or null.
     */
    static Jvm claim(final LaunchPlan plan) {
        if (OFFERED.isEmpty() || plan.warm() || !plan.classDataSharing() || !plan.systemProperties().isEmpty()
            || !plan.environment().isEmpty()) {
            return null;
        }
        final String signature = signature(plan.role(), plan.classpath(), plan.jvmOptions());
        for (final Iterator<Jvm> it = OFFERED.iterator(); it.hasNext(); ) {
            final Jvm jvm = it.next();
            if (jvm.signature().equals(signature) && OFFERED.remove(jvm)) {
                if (jvm.isAlive()) {
                    return jvm;
                }
                jvm.discard();
            }
        }
        return null;
    }

    /**
     * Hands a claimed JVM its control socket and token; one inherited from the launcher is also told to send its
     * {@code System.out} and {@code System.err} as control frames (its pipes are one, {@link InheritedJvm}).
     *
     * @return true if it took them; false if it is gone (it is then discarded).
     */
    static boolean handOver(final Jvm jvm, final Path controlSocket, final String token) {
        try {
            if (jvm.inherited() != null) {
                jvm.inherited().writeLine(controlSocket + " " + token + " " + ChildMain.FRAMED_OUTPUT);
            } else {
                try (OutputStream stdin = jvm.launched().getOutputStream()) {
                    stdin.write((controlSocket + " " + token + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return true;
        } catch (final IOException ex) {
            jvm.discard();
            return false;
        }
    }

    /** @return an inherited JVM whose command line is exactly this one, now the caller's; or null. */
    private static InheritedJvm takeInherited(final List<String> command) {
        if (INHERITED.isEmpty()) {
            return null;
        }
        for (final InheritedJvm jvm : INHERITED) {
            if (jvm.isAlive() && jvm.command().equals(command) && INHERITED.remove(jvm)) {
                return jvm;
            }
        }
        return null;
    }

    /** @return the processes this prelaunch started, taken or not (not those it inherited from the launcher). */
    public List<Process> processes() {
        return mine.stream().filter(jvm -> jvm.launched() != null).map(Jvm::launched).toList();
    }

    /** @return how many of its JVMs this prelaunch inherited from the launcher script ({@link #inherit}). */
    public int inherited() {
        return inheritedCount;
    }

    /**
     * @return the command line of this prelaunch's first JVM, when a later run may start that JVM the same way
     *     before its own JVM boots (it maps a class-data archive, or none, and writes none); else empty.
     */
    public Optional<List<String>> repeatableCommand() {
        return Optional.ofNullable(repeatable);
    }

    /**
     * Offers a JVM the launcher script started before this JVM ({@link InheritedJvm}): the first prelaunch whose JVM
     * has exactly its command line takes it instead of launching one. Called by the command line's {@code main}
     * before it prelaunches; a spec that names no child of this process is ignored.
     *
     * @param spec {@code <pid>:<stdin fd>:<output fd>}.
     * @return true if it names a child of this process (now offered).
     */
    public static boolean inherit(final String spec) {
        final Optional<InheritedJvm> jvm = InheritedJvm.fromSpec(spec);
        jvm.ifPresent(INHERITED::add);
        return jvm.isPresent();
    }

    /**
     * Kills the JVMs inherited from the launcher that no prelaunch took (their command line was not one this run
     * starts). Idempotent.
     *
     * @return how many.
     */
    public static int discardInherited() {
        int discarded = 0;
        InheritedJvm jvm;
        while ((jvm = INHERITED.poll()) != null) {
            jvm.destroyForcibly();
            discarded++;
        }
        return discarded;
    }

    /** Destroys the JVMs of this prelaunch that no launch took. Idempotent. */
    @Override
    public void close() {
        for (final Jvm jvm : mine) {
            if (OFFERED.remove(jvm)) {
                jvm.discard();
            }
        }
    }

    /** @return how many unclaimed JVMs of this signature are offered, alive. */
    private static int offered(final String signature) {
        int alive = 0;
        for (final Jvm jvm : OFFERED) {
            if (jvm.signature().equals(signature) && jvm.isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    private static String signature(final String role, final String classpath, final List<String> jvmOptions) {
        return Launcher.javaBinary() + '\n' + role + '\n' + classpath + '\n' + String.join("\n", jvmOptions);
    }
}
