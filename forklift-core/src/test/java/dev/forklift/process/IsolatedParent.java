package dev.forklift.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A parent's code as the test of class path discovery loads it: through a class loader of its own, as
 * {@code mvn exec:java} loads an application. Uses only the library and the JDK, so that the isolated loader finds
 * everything it needs.
 */
public final class IsolatedParent {
    private IsolatedParent() {
    }

    /**
     * Starts a child that says hello, and waits for it.
     *
     * @return its exit status and its stdout lines without prefix, such as {@code exitCode=0|hello}.
     * @throws Exception if the child cannot start or run.
     */
    public static String startHelloChild() throws Exception {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final ChildProcess child = ChildProcess.builder(Hello.class).name("isolated")
            .jvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC").classDataSharing(false)
            .output((stream, line) -> lines.add(line.substring(line.indexOf("] ") + 2))).start();
        final ExitStatus status = child.joinAndCheck(Duration.ofSeconds(30));
        return status + "|" + String.join(",", lines);
    }

    /** Prints hello. */
    public static final class Hello implements ProcessTask {
        @Override
        public void run(final TaskContext context) {
            System.out.println("hello");
        }
    }
}
