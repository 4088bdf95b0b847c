package dev.forklift.process.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * <p>Called in the parent: {@link #start} on the thread that builds a pool, {@link #claim} on launching threads,
 * {@link #close} by the pool once its first workers were started. Thread-safe; never blocks. Internal; not API.
 */
public final class Prelaunch implements AutoCloseable {
    /** Unclaimed JVMs of every prelaunch of this process. */
    private static final ConcurrentLinkedQueue<Jvm> OFFERED = new ConcurrentLinkedQueue<>();
    /** System property of a parent: {@code false} turns prelaunching off. */
    public static final String ENABLED_PROPERTY = "forklift.prelaunch";

    private final List<Jvm> mine;

    /** One JVM, its signature, and what it does about the class-data archive. */
    record Jvm(String signature, Process process, ClassDataArchive.Use archive) {
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

        void discard() {
            process.destroyForcibly();
            archive.launchFailed();
        }
    }

    private Prelaunch(final List<Jvm> mine) {
        this.mine = mine;
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
            return new Prelaunch(started);
        }
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
                final Process process;
                try {
                    process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
                } catch (final IOException ex) {
                    archive.launchFailed();
                    break;
                }
                final Jvm jvm = new Jvm(signature, process, archive);
                started.add(jvm);
                OFFERED.add(jvm);
            }
        } catch (final RuntimeException ex) {
            // Prelaunching is an optimisation only: the launches do it the usual way.
        }
        StartupTrace.stamp("prelaunched " + started.size() + " " + role);
        return new Prelaunch(started);
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
                if (jvm.process().isAlive()) {
                    return jvm;
                }
                jvm.discard();
            }
        }
        return null;
    }

    /**
     * Hands a claimed JVM its control socket and token.
     *
     * @return true if it took them; false if it is gone (it is then discarded).
     */
    static boolean handOver(final Jvm jvm, final Path controlSocket, final String token) {
        try (OutputStream stdin = jvm.process().getOutputStream()) {
            stdin.write((controlSocket + " " + token + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (final IOException ex) {
            jvm.discard();
            return false;
        }
    }

    /** @return the processes this prelaunch started, taken or not. */
    public List<Process> processes() {
        return mine.stream().map(Jvm::process).toList();
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
            if (jvm.signature().equals(signature) && jvm.process().isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    private static String signature(final String role, final String classpath, final List<String> jvmOptions) {
        return Launcher.javaBinary() + '\n' + role + '\n' + classpath + '\n' + String.join("\n", jvmOptions);
    }
}
