package dev.forklift.cli;

import dev.forklift.jobs.wordcount.WordCountJob;
import dev.forklift.jobs.wordcount.WorkUnits;
import dev.forklift.pipeline.Sources;
import dev.forklift.pipeline.internal.JobRun;
import dev.forklift.pool.PoolBuilder;
import dev.forklift.pool.internal.SharedMemoryTransport;
import dev.forklift.process.internal.Prelaunch;
import dev.forklift.process.internal.StartupTrace;
import dev.forklift.process.internal.WarmPrelease;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the child JVMs of {@code forklift run} (its workers) and {@code forklift wordcount} (its producers) first
 * thing in {@code main}, from a quick look at the arguments, before the command line is parsed: they boot while this
 * JVM builds its command-line model, checks the options and paths, and makes the pool's or pipeline's queues; the
 * pool or pipeline then takes them ({@link Prelaunch}) instead of launching its own. Only for the plain cases, where
 * the look at the arguments gives exactly the children the command will start: {@code run} without {@code --broker}
 * or {@code --resume}; {@code wordcount} of regular files only, without {@code --sample}. {@code run --warm} launches
 * nothing: it leases its warm workers from the warm host ({@link WarmPrelease#startEarly}) so that the lease's round
 * trip and the workers' hello happen while the options are parsed; its pool adopts that lease. Anything else, or an
 * argument it cannot read, starts nothing early (the command launches as before). JVMs no launch took (a usage
 * error, a guess that did not fit) are destroyed by {@link #close()}, and leased workers nobody took killed.
 *
 * <p>The first child ({@code run}'s first worker, {@code wordcount}'s first producer) may be older than this JVM:
 * the launcher script starts it from a note of an earlier run ({@link LauncherRecipe}) before it starts this JVM,
 * and passes it in {@value #LAUNCHER_WORKER_PROPERTY}. The prelaunch takes it when its own first JVM's command line
 * is exactly that one; otherwise it is killed at once and the note rewritten at the close (or deleted, when this
 * run prelaunches nothing to note).
 *
 * <p>Called on the main thread by {@link Main#main}; never throws, never blocks on the JVMs.
 */
public final class EarlyLaunch implements AutoCloseable {
    /** System property: {@code false} turns it off (the commands then launch their children as they build). */
    public static final String ENABLED_PROPERTY = "forklift.cli.earlyLaunch";
    /**
     * System property the launcher script sets when it started the first child of {@code run} or {@code wordcount}
     * before this JVM: {@code <pid>:<stdin fd>:<output fd>} ({@link Prelaunch#inherit}).
     */
    static final String LAUNCHER_WORKER_PROPERTY = "forklift.cli.launcherWorker";
    /** Most JVMs started early: a larger pool launches the rest as it builds. */
    static final int MAX_EARLY = 64;
    private static final EarlyLaunch NONE = new EarlyLaunch(null, null, null);

    private final Prelaunch prelaunch;
    /** {@code run --warm}: its workers' lease, or null. */
    private final WarmPrelease prelease;
    /** Run once at the close: the launcher's note of this command's first child ({@link LauncherRecipe}), or null. */
    private Runnable atClose;

    private EarlyLaunch(final Prelaunch prelaunch, final WarmPrelease prelease, final Runnable atClose) {
        this.prelaunch = prelaunch;
        this.prelease = prelease;
        this.atClose = atClose;
    }

    /**
     * @param args the command line, as {@code main} got it.
     * @return what was started; close it once the command has run.
     */
    public static EarlyLaunch start(final String... args) {
        final boolean inherited = Prelaunch.inherit(System.getProperty(LAUNCHER_WORKER_PROPERTY));
        EarlyLaunch early = NONE;
        try {
            early = startPlanned(args);
            return early;
        } finally {
            if (inherited && Prelaunch.discardInherited() > 0) {
                StartupTrace.stamp("cli early launch: the launcher's JVM did not fit, killed");
                if (early.atClose == null) {
                    // Nothing will note a command line that fits (prelaunching is off, or this run's first child
                    // writes a class-data archive): the launcher is told to start none for this key.
                    LauncherRecipe.fromProperties().ifPresent(LauncherRecipe::forget);
                }
            }
        }
    }

    private static EarlyLaunch startPlanned(final String... args) {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true")) || args.length == 0) {
            return NONE;
        }
        try {
            if (args[0].equals("run") && runsWarm(args)) {
                final WarmPrelease leased = runWarmWorkers(args);
                if (leased != null) {
                    StartupTrace.stamp("cli early lease");
                }
                return leased == null ? NONE : new EarlyLaunch(null, leased, null);
            }
            final Prelaunch started = switch (args[0]) {
                case "run" -> runWorkers(args);
                case "wordcount" -> wordCountProducers(args);
                default -> null;
            };
            if (started == null) {
                return NONE;
            }
            StartupTrace.stamp("cli early launch");
            // The launcher's note of the first child (run's first worker, the word count's first producer), written
            // at the close (off the command's path) when the launcher had none for this run, or one that did not fit.
            Runnable note = null;
            if (started.inherited() == 0) {
                final Optional<LauncherRecipe> recipe = LauncherRecipe.fromProperties();
                final Optional<List<String>> command = started.repeatableCommand();
                if (recipe.isPresent() && command.isPresent()) {
                    note = () -> recipe.get().write(command.get());
                }
            }
            return new EarlyLaunch(started, null, note);
        } catch (final RuntimeException ex) {
            return NONE; // An optimisation only: the command launches its children itself.
        }
    }

    /** @return the JVMs started, taken or not (empty when none was). */
    List<Process> processes() {
        return prelaunch == null ? List.of() : prelaunch.processes();
    }

    /** @return true when the warm workers were leased early (a lease under way or answered). */
    boolean leased() {
        return prelease != null;
    }

    /** Destroys the JVMs that no launch took, and kills leased workers no pool took. Idempotent. */
    @Override
    public void close() {
        if (prelaunch != null) {
            prelaunch.close();
        }
        if (prelease != null) {
            prelease.close();
        }
        final Runnable note = atClose;
        atClose = null;
        if (note != null) {
            note.run();
        }
    }

    /** @return true when {@code run}'s options (before {@code --}) include {@code --warm}. */
    private static boolean runsWarm(final String[] args) {
        for (int i = 1; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("--warm")) {
                return true;
            }
        }
        return false;
    }

    /** {@code run}: the pool's workers, with its class path ({@code --classpath} first) and no JVM option of its own. */
    private static Prelaunch runWorkers(final String[] args) {
        final String[] plan = runPlan(args, false);
        return plan == null ? null
            : SharedMemoryTransport.prelaunchWorkers(Integer.parseInt(plan[0]), plan[1], List.of());
    }

    /** {@code run --warm}: the lease of the pool's warm workers, as the pool would ask for it. */
    private static WarmPrelease runWarmWorkers(final String[] args) {
        final String[] plan = runPlan(args, true);
        return plan == null ? null
            : SharedMemoryTransport.preleaseWarmWorkers(Integer.parseInt(plan[0]), plan[1], List.of());
    }

    /**
     * @param warm true for {@code --warm} (then allowed).
     * @return how many workers and the pool's class path (null for the default), or null when the look cannot plan.
     */
    private static String[] runPlan(final String[] args, final boolean warm) {
        Integer workers = null;
        String classpath = null;
        for (int i = 1; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            switch (name(arg)) {
                case "--warm" -> {
                    if (!warm) {
                        return null;
                    }
                }
                case "--broker", "--resume", "--help", "-h", "--version", "-V" -> {
                    return null;
                }
                case "--workers" -> workers = Integer.valueOf(value(args, i));
                case "--classpath" -> classpath = value(args, i);
                default -> {
                }
            }
        }
        final int count = workers != null ? workers
            : Math.min(PoolBuilder.DEFAULT_WORKER_LIMIT, Runtime.getRuntime().availableProcessors());
        if (count < 1) {
            return null;
        }
        // As RunCommand configures its pool: the task's class path before this jar's.
        final String poolClasspath = classpath == null ? null
            : classpath + File.pathSeparator + System.getProperty("java.class.path");
        return new String[] {Integer.toString(Math.min(count, MAX_EARLY)), poolClasspath};
    }

    /** {@code wordcount}: one producer per work unit, as the job plans them, when every PATH is a regular file. */
    private static Prelaunch wordCountProducers(final String[] args) {
        int producers = 2;
        final List<Path> files = new ArrayList<>();
        boolean onlyPaths = false;
        for (int i = 1; i < args.length; i++) {
            final String arg = args[i];
            if (!onlyPaths && arg.equals("--")) {
                onlyPaths = true;
            } else if (!onlyPaths && arg.startsWith("-")) {
                switch (name(arg)) {
                    case "--json", "--quiet", "--fail-fast" -> {
                    }
                    case "--producers", "--consumers", "--top", "--dead-letter", "--sample-mb" -> {
                        if (name(arg).equals("--producers")) {
                            producers = Integer.parseInt(value(args, i));
                        }
                        if (!arg.contains("=")) {
                            i++; // its value
                        }
                    }
                    default -> {
                        return null; // --sample, --dashboard, help, or an option this look does not know
                    }
                }
            } else {
                final Path file = Path.of(arg);
                if (Sources.isGlob(arg) || !Files.isRegularFile(file)) {
                    return null;
                }
                files.add(file);
            }
        }
        if (files.isEmpty() || producers < 1 || producers > 64) {
            return null;
        }
        final int count = WorkUnits.plan(files, producers, Sources.DEFAULT_BLOCK_BYTES).producers();
        final Prelaunch started = JobRun.prelaunchProducers(count, WordCountJob.DEFAULT_JVM_OPTIONS);
        JobRun.warmPlanEncoding(WordCountJob.PLAN_CLASSES); // while the command line is parsed
        return started;
    }

    /** @return the option's name: the argument up to its {@code =}, if any. */
    private static String name(final String arg) {
        final int equals = arg.indexOf('=');
        return equals < 0 ? arg : arg.substring(0, equals);
    }

    /** @return the option's value: after its {@code =}, else the next argument. */
    private static String value(final String[] args, final int i) {
        final int equals = args[i].indexOf('=');
        if (equals >= 0) {
            return args[i].substring(equals + 1);
        }
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException("no value");
        }
        return args[i + 1];
    }
}
