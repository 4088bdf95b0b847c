package dev.forklift.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Task classes run in child JVMs by the process tests. */
public final class TestTasks {
    private TestTasks() {
    }

    /** Fast-starting JVM options for test children. */
    static final String[] FAST_JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"};

    /** Checks its arguments, JVM options, system property and environment; throws when any is wrong. */
    public static final class CheckEverythingTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            check(context.arg(0, String.class).equals("hello"), "arg 0: " + context.args());
            check(context.arg(1, Integer.class) == 42, "arg 1: " + context.args());
            check(context.args().size() == 2, "arg count: " + context.args());
            final List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
            check(jvmArgs.contains("-Xmx77m"), "JVM options: " + jvmArgs);
            check("value with spaces".equals(System.getProperty("forklift.test.prop")), "system property: "
                + System.getProperty("forklift.test.prop"));
            check("env-value".equals(System.getenv("FORKLIFT_TEST_ENV")), "environment: "
                + System.getenv("FORKLIFT_TEST_ENV"));
            check("checker".equals(System.getProperty("forklift.role")) && "checker".equals(context.role()),
                "role: " + context.role());
            check("check-1".equals(System.getProperty("forklift.name")) && "check-1".equals(context.name()),
                "name: " + context.name());
            check(context.pid() == ProcessHandle.current().pid(), "pid");
            check(context.parentPid() == ProcessHandle.current().parent().orElseThrow().pid(), "parent pid");
            check(System.in.read() == -1, "stdin is not empty");
        }
    }

    static void check(final boolean condition, final String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    /** A custom failure with a cause. */
    public static final class TaskFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public TaskFailure(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /** Throws {@link TaskFailure} from {@link #failDeepInside}. */
    public static final class FailingTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            failDeepInside(context.arg(0, String.class));
        }

        static void failDeepInside(final String message) throws TaskFailure {
            throw new TaskFailure(message, new IOException("root cause"));
        }
    }

    /** A failure that cannot be serialized (it holds a thread). */
    public static final class UnsendableFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Thread payload = new Thread();

        public UnsendableFailure(final String message) {
            super(message);
        }

        @Override
        public String toString() {
            return super.toString() + " " + payload.getName();
        }
    }

    /** Throws {@link UnsendableFailure} from {@link #throwUnsendable}. */
    public static final class UnsendableFailureTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
            throwUnsendable();
        }

        static void throwUnsendable() {
            throw new UnsendableFailure("cannot travel");
        }
    }

    /** Calls {@code System.exit} with its argument. */
    public static final class ExitTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
            System.exit(context.arg(0, Integer.class));
        }
    }

    /** Prints numbered lines to stdout and stderr, including a long one. */
    public static final class ChattyTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
            final int lines = context.arg(0, Integer.class);
            for (int i = 0; i < lines; i++) {
                System.out.println("out-" + i + "-" + "x".repeat(i % 7 == 0 ? 5_000 : 10) + "-end");
                System.err.println("err-" + i + "-end");
            }
        }
    }

    /** Blocks forever; the first argument, when present, is a file its shutdown hook writes. */
    public static final class BlockForeverTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            if (!context.args().isEmpty()) {
                final Path marker = Path.of(context.arg(0, String.class));
                final boolean hang = context.args().size() > 1 && context.arg(1, Boolean.class);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.writeString(marker, "hook ran");
                        if (hang) {
                            Thread.sleep(Long.MAX_VALUE);
                        }
                    } catch (final IOException | InterruptedException ignored) {
                        // Test checks the marker.
                    }
                }));
            }
            context.state("blocked");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Starts two {@link BlockForeverTask} grandchildren, writes their pids to the file in arg 0, blocks. */
    public static final class GrandparentTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            final List<ChildProcess> children = ChildProcessBuilder.startAll(
                ChildProcess.builder(BlockForeverTask.class).role("grandchild").jvmOptions(FAST_JVM),
                ChildProcess.builder(BlockForeverTask.class).role("grandchild").jvmOptions(FAST_JVM));
            final Path file = Path.of(context.arg(0, String.class));
            final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, children.get(0).pid() + "\n" + children.get(1).pid() + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Adds items, publishes work stamp -7, sets a state, then waits until the file in arg 0 exists. */
    public static final class ProgressTask implements ProcessTask {
        @Override
        public void run(final TaskContext context) throws Exception {
            for (int i = 0; i < 6; i++) {
                context.addItemsDone(7);
            }
            try {
                context.workStamp(0);
                check(false, "a work stamp of unit 0 was accepted");
            } catch (final IllegalArgumentException expected) {
                check(expected.getMessage().contains("unit=0"), expected.getMessage());
            }
            context.workStamp(-7);
            context.state("working");
            final Path release = Path.of(context.arg(0, String.class));
            while (!Files.exists(release)) {
                Thread.sleep(10);
            }
        }
    }

    /** Has no public no-argument constructor. */
    public static final class NoDefaultConstructorTask implements ProcessTask {
        public NoDefaultConstructorTask(final String required) {
            Objects.requireNonNull(required);
        }

        @Override
        public void run(final TaskContext context) {
        }
    }

    /** Takes 20 s to construct. */
    public static final class SlowConstructorTask implements ProcessTask {
        public SlowConstructorTask() throws InterruptedException {
            Thread.sleep(20_000);
        }

        @Override
        public void run(final TaskContext context) {
        }
    }
}
