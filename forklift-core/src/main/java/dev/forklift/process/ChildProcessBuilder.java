package dev.forklift.process;

import dev.forklift.process.internal.ChildClasspath;
import dev.forklift.process.internal.ChildMain;
import dev.forklift.process.internal.ChildProcessImpl;
import dev.forklift.process.internal.Frames;
import dev.forklift.process.internal.LaunchPlan;
import dev.forklift.process.internal.Launches;
import dev.forklift.process.internal.Serialization;

import java.io.IOException;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Configures and starts a child JVM that runs one {@link ProcessTask}. Get one from {@link ChildProcess#builder}.
 *
 * <pre>{@code
 * ChildProcess child = ChildProcess.builder(Worker.class)
 *     .role("worker").args(queue, 42).jvmOptions("-Xmx64m")
 *     .start();
 * }</pre>
 *
 * <p>Not thread-safe: configure and start from one thread. A builder may be started more than once; each start
 * launches a new child (with a new default name). Used in the parent process only.
 */
public final class ChildProcessBuilder {
    /** Default time from launch to the child's ready handshake. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Default role. */
    public static final String DEFAULT_ROLE = "child";

    /**
     * Default of {@link #classDataSharing(boolean)}: true, unless the system property
     * {@code forklift.cds} is {@code false}.
     */
    public static final boolean DEFAULT_CLASS_DATA_SHARING = !"false".equalsIgnoreCase(
        System.getProperty("forklift.cds", "true"));

    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1);
    /** Largest serialized task plus arguments: the spec frame's cap, less room for the spec's other fields. */
    private static final long MAX_TASK_AND_ARGS_BYTES = Frames.MAX_SPEC_BYTES - (1 << 20);

    private final String taskClassName;
    private final ProcessTask task;
    private String name;
    private String role = DEFAULT_ROLE;
    private Object[] args = new Object[0];
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private ChildOutput output = ChildOutput.inherit();
    private String classpath;
    private boolean classDataSharing = DEFAULT_CLASS_DATA_SHARING;
    private boolean warm;

    private ChildProcessBuilder(final String taskClassName, final ProcessTask task) {
        this.taskClassName = taskClassName;
        this.task = task;
    }

    /**
     * @param taskClassName the binary name of a public task class with a public no-argument constructor.
     * @return a new builder.
     */
    public static ChildProcessBuilder forClassName(final String taskClassName) {
        if (taskClassName == null || taskClassName.isBlank()) {
            throw new IllegalArgumentException("task class name must not be blank: taskClassName=" + taskClassName);
        }
        return new ChildProcessBuilder(taskClassName, null);
    }

    /**
     * @param task a serializable task object, typically a lambda; it and everything it captures must be serializable.
     * @return a new builder.
     */
    public static ChildProcessBuilder forTask(final ProcessTask task) {
        return new ChildProcessBuilder(null, Objects.requireNonNull(task, "task"));
    }

    /**
     * @param name the child's name, shown in log prefixes and process tables (at most 31 characters are shown
     *             there); default: the role, a dash and a number unique in this process.
     * @return this builder.
     */
    public ChildProcessBuilder name(final String name) {
        this.name = requireText(name, "name");
        return this;
    }

    /**
     * @param role the child's role, such as {@code producer} (at most 15 characters are shown in process tables);
     *             default {@value #DEFAULT_ROLE}.
     * @return this builder.
     */
    public ChildProcessBuilder role(final String role) {
        this.role = requireText(role, "role");
        return this;
    }

    /**
     * @param args the task's arguments ({@link TaskContext#args()}), Java-serializable; queues among them are
     *             attached in the child before it reports ready.
     * @return this builder.
     */
    public ChildProcessBuilder args(final Object... args) {
        this.args = args == null ? new Object[0] : args.clone();
        return this;
    }

    /**
     * @param options JVM options added to the child's command line, such as {@code -Xmx64m}; each starts with '-'.
     * @return this builder.
     */
    public ChildProcessBuilder jvmOptions(final String... options) {
        for (final String option : options) {
            if (option == null || !option.startsWith("-")) {
                throw new IllegalArgumentException("a JVM option must start with '-': option=" + option);
            }
            jvmOptions.add(option);
        }
        return this;
    }

    /**
     * @param key   a system property name.
     * @param value its value in the child.
     * @return this builder.
     */
    public ChildProcessBuilder systemProperty(final String key, final String value) {
        systemProperties.put(requireText(key, "system property name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param key   an environment variable name.
     * @param value its value in the child (the child inherits the rest of this process's environment).
     * @return this builder.
     */
    public ChildProcessBuilder environment(final String key, final String value) {
        environment.put(requireText(key, "environment variable name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param timeout the longest time from launch to the child's ready handshake; default 30 s.
     * @return this builder.
     */
    public ChildProcessBuilder startTimeout(final Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("start timeout must be positive: startTimeout=" + timeout);
        }
        this.startTimeout = timeout;
        return this;
    }

    /**
     * @param output where the child's output lines go; default {@link ChildOutput#inherit()}.
     * @return this builder.
     */
    public ChildProcessBuilder output(final ChildOutput output) {
        this.output = Objects.requireNonNull(output, "output");
        return this;
    }

    /**
     * @param classpath the child's class path; default: the system property {@code forklift.classpath} when set,
     *                  else where this JVM found Forklift and the task (its {@code java.class.path}, after the
     *                  files of a {@code URLClassLoader} in front of the application class loader, as under
     *                  {@code mvn exec:java}); see docs/adopting.md.
     * @return this builder.
     */
    public ChildProcessBuilder classpath(final String classpath) {
        this.classpath = requireText(classpath, "classpath");
        return this;
    }

    /**
     * Whether the child starts from a cached class-data archive: the classes it loads, parsed and verified once
     * and kept in a per-user cache ({@code ~/.cache/forklift/cds}, or {@code $XDG_CACHE_HOME/forklift/cds}, or
     * the system property {@code forklift.cds.dir}), keyed by the java binary, the JVM version, the class path
     * (with the size and time of each jar) and the JVM options. The first child of a key writes the archive at
     * its exit (which makes that exit slower); later children map it and start faster. It covers the jars the
     * class path starts with: when a directory follows them, a JVM started in the background on those jars alone
     * writes the archive instead. It does not apply when the class path starts with a directory or the JVM
     * options choose class-data sharing themselves. A
     * missing, stale or damaged archive is never used (it is checked against a checksum written with it, and
     * the JVM checks it again); the child then starts without it. Default {@link #DEFAULT_CLASS_DATA_SHARING}.
     *
     * @param enabled false to start the child without an archive.
     * @return this builder.
     */
    public ChildProcessBuilder classDataSharing(final boolean enabled) {
        this.classDataSharing = enabled;
        return this;
    }

    /**
     * Whether the child may run in a warm worker JVM of the user's warm host instead of a JVM launched now: a JVM of
     * the same java, class path and JVM options, started before and waiting (the start-up of a JVM, its NIO and
     * socket classes and Java serialization already done). The host is a per-user daemon that keeps spare workers
     * for one class path and options; the first start that asks for it starts it (that start launches its
     * children as usual) and it stops by itself when no one has asked for a while (system property
     * {@code forklift.warm.idleMs} of the parent that starts it, default 5 minutes). Its socket is in the user's
     * shared-memory directory. A warm child is like any other: it connects back with its token, gets its spec,
     * halts when this parent dies, and its death is reported with the exit code its host reaped (-1 if the host is
     * gone). Its output lines come over the control connection (output the JVM writes itself, such as a crash
     * report, goes to the host's, discarded). A child with its own environment variables or system properties, or
     * when no warm worker is spare, is launched as usual. Default false.
     *
     * @param enabled true to take a warm worker when one is spare.
     * @return this builder.
     */
    public ChildProcessBuilder warm(final boolean enabled) {
        this.warm = enabled;
        return this;
    }

    /**
     * Launches the child and waits until it runs, has decoded its arguments and has instantiated its task.
     *
     * @return the running child.
     * @throws TaskNotSerializableException if the task or an argument cannot be serialized (nothing is launched).
     * @throws ChildStartException          if the task class is unusable, the JVM fails to start or exits early
     *                                      (the message includes its stderr), or the start timeout passes; no
     *                                      child is left running.
     */
    public ChildProcess start() {
        final LaunchPlan plan = plan();
        if (plan.warm()) {
            return startAll(List.of(this)).get(0);
        }
        final ChildProcessImpl child = ChildProcessImpl.launch(plan);
        return awaitReady(child, plan);
    }

    /**
     * Waits for one child's handshake; a child that died before connecting back while it mapped a class-data
     * archive is launched once more without one (the archive is deleted), so a bad archive never stops a child.
     */
    private static ChildProcessImpl awaitReady(final ChildProcessImpl child, final LaunchPlan plan) {
        try {
            child.awaitReady();
            return child;
        } catch (final ChildStartException ex) {
            if (!child.diedOnArchive()) {
                throw ex;
            }
        }
        final ChildProcessImpl again = ChildProcessImpl.launch(withoutArchive(plan));
        again.awaitReady();
        return again;
    }

    private static LaunchPlan withoutArchive(final LaunchPlan plan) {
        return new LaunchPlan(plan.name(), plan.role(), plan.taskClassName(), plan.taskBytes(), plan.argsBytes(),
            plan.classNames(), plan.jvmOptions(), plan.systemProperties(), plan.environment(), plan.classpath(), plan.startTimeout(),
            plan.output(), false, false);
    }

    /**
     * Starts several children in parallel: validates every builder, launches every JVM, then waits for every
     * handshake. When any child fails to start, every child of the call is killed before the first failure is
     * thrown.
     *
     * @param builders the children to start.
     * @return the running children, in the order of the builders.
     * @throws TaskNotSerializableException if a task or argument cannot be serialized (nothing is launched).
     * @throws ChildStartException          as {@link #start()}.
     */
    public static List<ChildProcess> startAll(final ChildProcessBuilder... builders) {
        return startAll(Arrays.asList(builders));
    }

    /**
     * As {@link #startAll(ChildProcessBuilder...)}.
     *
     * @param builders the children to start.
     * @return the running children, in the order of the builders.
     */
    public static List<ChildProcess> startAll(final List<ChildProcessBuilder> builders) {
        final List<LaunchPlan> plans = new ArrayList<>();
        for (final ChildProcessBuilder builder : builders) {
            plans.add(builder.plan());
        }
        final List<ChildProcessImpl> children = new ArrayList<>();
        try {
            children.addAll(Launches.launchAll(plans));
            for (int i = 0; i < children.size(); i++) {
                children.set(i, awaitReady(children.get(i), plans.get(i)));
            }
        } catch (final RuntimeException ex) {
            children.forEach(ChildProcessImpl::kill);
            throw ex;
        }
        return List.copyOf(children);
    }

    /**
     * Starts several children in parallel without waiting for all of them: validates every builder and launches
     * every JVM on the calling thread, then returns one future per child that completes when that child reports
     * ready, so that a caller can use the first child ready while the others still start (a pool's first task, for
     * example). A future that fails carries the child's {@link ChildStartException} (with its pid, exit code and
     * output, as {@link #start()}); that child is gone, the others go on. Cancelling a future kills its child if it
     * has not started yet (a child that became ready meanwhile is killed too); the handshakes are awaited on daemon
     * threads, each bounded by the builder's start timeout.
     *
     * @param builders the children to start.
     * @return one future per builder, in order.
     * @throws TaskNotSerializableException if a task or argument cannot be serialized (nothing is launched).
     * @throws ChildStartException          if a JVM cannot be launched at all; none of the call is left running.
     */
    public static List<CompletableFuture<ChildProcess>> startEach(final List<ChildProcessBuilder> builders) {
        final List<LaunchPlan> plans = new ArrayList<>();
        for (final ChildProcessBuilder builder : builders) {
            plans.add(builder.plan());
        }
        final List<ChildProcessImpl> children = Launches.launchAll(plans);
        final List<CompletableFuture<ChildProcess>> started = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            final ChildProcessImpl child = children.get(i);
            final LaunchPlan plan = plans.get(i);
            final CompletableFuture<ChildProcess> future = new CompletableFuture<>();
            future.whenComplete((ok, failure) -> {
                if (future.isCancelled()) {
                    child.kill();
                }
            });
            // Completed by the thread that reads the child's READY frame (no other thread to wake first); the waiter
            // below handles failures, timeouts and the relaunch of a child that died on its class-data archive.
            child.whenReady(() -> future.complete(child));
            final Thread waiter = new Thread(() -> {
                try {
                    final ChildProcessImpl ready = awaitReady(child, plan);
                    if (!future.complete(ready) && future.isCancelled()) {
                        ready.kill(); // cancelled meanwhile
                    }
                } catch (final RuntimeException | Error ex) {
                    future.completeExceptionally(ex);
                }
            }, "forklift-start-" + plan.name());
            waiter.setDaemon(true);
            waiter.start();
            started.add(future);
        }
        return List.copyOf(started);
    }

    private LaunchPlan plan() {
        final Set<String> classNames = new TreeSet<>();
        byte[] taskBytes = null;
        if (task != null) {
            final Serialization.Encoded encoded = serialize(task, "task " + task.getClass().getName());
            taskBytes = encoded.bytes();
            classNames.addAll(encoded.classNames());
        } else {
            checkTaskClassIfVisible();
        }
        final Serialization.Encoded args = serializeArgs();
        classNames.addAll(args.classNames());
        final byte[] argsBytes = args.bytes();
        final String childName = name != null ? name : role + "-" + NEXT_NUMBER.getAndIncrement();
        final long specBytes = (taskBytes == null ? 0L : taskBytes.length) + argsBytes.length;
        if (specBytes > MAX_TASK_AND_ARGS_BYTES) {
            throw new TaskNotSerializableException("the task and arguments of child '" + childName + "' take "
                + specBytes + " bytes serialized, more than the limit of " + MAX_TASK_AND_ARGS_BYTES
                + " bytes; pass large data through a queue or a file instead", null);
        }
        return new LaunchPlan(childName, role, taskClassName, taskBytes, argsBytes, Set.copyOf(classNames),
            List.copyOf(jvmOptions),
            Map.copyOf(systemProperties), Map.copyOf(environment),
            classpath != null ? classpath : ChildClasspath.forChild(task != null ? task.getClass().getClassLoader()
                : Thread.currentThread().getContextClassLoader()), startTimeout, output,
            classDataSharing, warm);
    }

    private void checkTaskClassIfVisible() {
        final ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : ChildProcessBuilder.class.getClassLoader();
        try {
            ChildMain.checkTaskClass(Class.forName(taskClassName, false, loader));
        } catch (final ClassNotFoundException | LinkageError ex) {
            if (classpath == null) {
                throw new ChildStartException("task class '" + taskClassName + "' not found on the class path", ex);
            }
            // Another class path: the child decides.
        }
    }

    private Serialization.Encoded serializeArgs() {
        try {
            return Serialization.toBytesNamingClasses(args);
        } catch (final IOException ex) {
            for (int i = 0; i < args.length; i++) {
                serialize(args[i], "argument " + i + " (" + (args[i] == null ? "null" : args[i].getClass().getName())
                    + ")");
            }
            throw notSerializable("the arguments", ex);
        }
    }

    private static Serialization.Encoded serialize(final Object value, final String what) {
        try {
            return Serialization.toBytesNamingClasses(value);
        } catch (final IOException ex) {
            throw notSerializable(what, ex);
        }
    }

    private static TaskNotSerializableException notSerializable(final String what, final IOException ex) {
        if (ex instanceof NotSerializableException) {
            return new TaskNotSerializableException(what + " cannot be serialized: class " + ex.getMessage()
                + " is not serializable" + (what.startsWith("task") ? " (a lambda task must capture only"
                + " serializable values)" : ""), ex);
        }
        return new TaskNotSerializableException(what + " cannot be serialized: " + ex, ex);
    }

    private static String requireText(final String value, final String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank: " + what + "=" + value);
        }
        return value;
    }
}
